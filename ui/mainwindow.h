#pragma once

#include "consolecontroller.h"

#include <QMainWindow>
#include <QPointer>
#include <QUrl>

#include <optional>

class HistoryDialog;
class LimitsEditor;
class QAction;
class QActionGroup;
class QDoubleSpinBox;
class QGroupBox;
class QLabel;
class QLineEdit;
class QMenu;
class QPushButton;
class QSortFilterProxyModel;
class QTabWidget;
class QTableView;
class QTableWidget;
class QToolBar;
class RedisHealthView;
class StatTile;
class StatusBanner;
class TopKeysChartView;
class TrafficChartView;
class ViolationsPage;

// The operator console's window: dashboard (figures, traffic chart, top keys, key table), limits
// (endpoint rules and API-key limits), deployment (Redis, its health and instances), violations and
// events pages, fed by one ConsoleController. Every control an operator uses has an objectName so GUI
// tests can drive it; confirmations go through Confirmation.
class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    struct Target
    {
        QUrl url;
        QString adminKey;
    };

    explicit MainWindow(QWidget *parent = nullptr);

    ConsoleController *controller() { return &m_controller; }
    // The service this console embeds, offered in the Connect dialog; unset when there is none.
    void setEmbeddedTarget(const std::optional<Target> &target) { m_embedded = target; }
    void connectToEmbedded();
    void connectToRemote(const QUrl &url, const QString &adminKey);

    // Clears the key selected in the key table, after confirmation.
    void clearSelectedKey();
    void showConnectDialog();
    void showHistory();

protected:
    void changeEvent(QEvent *event) override;
    void closeEvent(QCloseEvent *event) override;

private:
    void buildActions();
    void buildMenus();
    QWidget *buildDashboard();
    QWidget *buildDeployment();
    QWidget *buildEvents();
    void retranslate();
    void updateFigures();
    void updateRedis();
    void updateConnectionState();
    void showKeyMenu(const QPoint &pos);
    QString selectedKey() const;
    void chooseLanguage(const QString &code);

    ConsoleController m_controller;
    std::optional<Target> m_embedded;

    QAction *m_connectAction;
    QAction *m_embeddedAction;
    QAction *m_quitAction;
    QAction *m_refreshAction;
    QAction *m_pauseAction;
    QAction *m_clearKeyAction;
    QAction *m_copyKeyAction;
    QAction *m_historyAction;
    QAction *m_aboutAction;
    QActionGroup *m_languageGroup;
    QMenu *m_fileMenu;
    QMenu *m_viewMenu;
    QMenu *m_languageMenu;
    QMenu *m_helpMenu;
    QToolBar *m_toolBar;
    QLabel *m_intervalLabel;
    QDoubleSpinBox *m_intervalSpin;

    StatusBanner *m_banner;
    QTabWidget *m_tabs;
    StatTile *m_requestsTile;
    StatTile *m_blockedTile;
    StatTile *m_blockRateTile;
    StatTile *m_allowedRateTile;
    StatTile *m_blockedRateTile;
    StatTile *m_latencyTile;
    StatTile *m_keysTile;
    StatTile *m_redisTile;
    QGroupBox *m_trafficBox;
    QGroupBox *m_topKeysBox;
    QGroupBox *m_keysBox;
    TrafficChartView *m_trafficChart;
    TopKeysChartView *m_topKeysChart;
    QLineEdit *m_keyFilter;
    QPushButton *m_clearKeyButton;
    QTableView *m_keysView;
    QSortFilterProxyModel *m_keysProxy;
    QTabWidget *m_limitsTabs;
    LimitsEditor *m_limitsEditor;
    LimitsEditor *m_apiKeyLimitsEditor;
    ViolationsPage *m_violationsPage;

    QGroupBox *m_redisBox;
    RedisHealthView *m_redisHealth;
    QLabel *m_redisLabels[8];
    QLabel *m_redisValues[8];
    QGroupBox *m_instancesBox;
    QTableWidget *m_instances;
    QLabel *m_instancesHint;
    QTableView *m_eventsView;

    QLabel *m_connectionLabel;
    QLabel *m_updatedLabel;
    QPointer<HistoryDialog> m_history;
};
