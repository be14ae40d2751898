#pragma once

#include <QHash>
#include <QWidget>

class ConsoleController;
class QGroupBox;
class QLabel;
class QLineEdit;
class QSortFilterProxyModel;
class QTableView;
class StatTile;

// The violations page: tiles with the service's violation total and its three bypass-attempt counters
// (each tile's tooltip says what the kind means; a non-zero counter is red and its tile names the
// latest rise seen between two refreshes), and a sortable, filterable table of the recent 429s from
// the controller's ViolationsModel. It only shows what the controller received. GUI thread.
class ViolationsPage : public QWidget
{
    Q_OBJECT
public:
    explicit ViolationsPage(ConsoleController *controller, QWidget *parent = nullptr);

    void retranslate();

private:
    struct Rise
    {
        qint64 delta = 0;
        QString at; // local time of the refresh that saw it
    };
    void updateFigures();

    ConsoleController *m_controller;
    StatTile *m_totalTile;
    QHash<QString, StatTile *> m_bypassTiles; // API kind name -> tile
    QHash<QString, Rise> m_lastRise;          // API kind name -> its latest rise
    QGroupBox *m_tableBox;
    QLineEdit *m_filter;
    QSortFilterProxyModel *m_proxy;
    QTableView *m_table;
    QLabel *m_hint;
};
