#pragma once

#include <QAbstractTableModel>
#include <QDateTime>

// The console's event log: connection and Redis state changes and operator actions, newest first,
// bounded so a flapping service cannot grow it without limit. No Widgets. GUI thread only.
class EventsModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum class Severity { Info, Warning, Error };
    enum Column { TimeColumn, SeverityColumn, MessageColumn, ColumnCount };
    enum Role { SeverityRole = Qt::UserRole + 1 };

    explicit EventsModel(qsizetype capacity = 1000, QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    void add(Severity severity, const QString &message, const QDateTime &time = QDateTime::currentDateTime());
    QString message(int row) const { return m_events.at(row).message; }
    Severity severity(int row) const { return m_events.at(row).severity; }

private:
    struct Event
    {
        QDateTime time;
        Severity severity;
        QString message;
    };
    QList<Event> m_events; // newest first
    qsizetype m_capacity;
};
