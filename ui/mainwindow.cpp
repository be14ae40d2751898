#include "mainwindow.h"

#include "charttheme.h"
#include "confirmation.h"
#include "connectdialog.h"
#include "connectionsettings.h"
#include "historydialog.h"
#include "languages.h"
#include "limitseditor.h"
#include "redishealthview.h"
#include "stattile.h"
#include "statusbanner.h"
#include "topkeyschartview.h"
#include "trafficchartview.h"
#include "usagebardelegate.h"
#include "violationspage.h"

#include <QAction>
#include <QActionGroup>
#include <QApplication>
#include <QClipboard>
#include <QCloseEvent>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QPushButton>
#include <QSettings>
#include <QShortcut>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QStatusBar>
#include <QTabWidget>
#include <QTableView>
#include <QTableWidget>
#include <QToolBar>
#include <QVBoxLayout>

namespace {

QString compact(double value)
{
    const QLocale locale;
    if (value >= 1e9)
        return locale.toString(value / 1e9, 'f', 2) + QLatin1Char('G');
    if (value >= 1e6)
        return locale.toString(value / 1e6, 'f', 2) + QLatin1Char('M');
    if (value >= 1e4)
        return locale.toString(value / 1e3, 'f', 1) + QLatin1Char('k');
    return locale.toString(qint64(value));
}

QString perSecond(double value)
{
    return value >= 100 ? compact(value) : QLocale().toString(value, 'f', 1);
}

QGroupBox *box(const QString &objectName, QWidget *content, QWidget *parent)
{
    auto *group = new QGroupBox(parent);
    group->setObjectName(objectName);
    auto *layout = new QVBoxLayout(group);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(content);
    return group;
}

} // namespace

MainWindow::MainWindow(QWidget *parent)
    : QMainWindow(parent)
{
    // The icons are compiled into this static library; a static library's resources need an explicit init.
    Q_INIT_RESOURCE(sluice);
    setObjectName(QStringLiteral("mainWindow"));
    setWindowIcon(QIcon(QStringLiteral(":/icons/sluice.svg")));
    buildActions();
    buildMenus();

    m_banner = new StatusBanner(this);
    m_tabs = new QTabWidget(this);
    m_tabs->setObjectName(QStringLiteral("mainTabs"));
    m_tabs->setDocumentMode(true);
    m_tabs->addTab(buildDashboard(), QIcon(QStringLiteral(":/icons/sluice.svg")), QString());
    m_limitsEditor = new LimitsEditor(&m_controller, LimitsEditor::Subject::Endpoints, this);
    m_apiKeyLimitsEditor = new LimitsEditor(&m_controller, LimitsEditor::Subject::ApiKeys, this);
    m_limitsTabs = new QTabWidget(this);
    m_limitsTabs->setObjectName(QStringLiteral("limitsTabs"));
    m_limitsTabs->addTab(m_limitsEditor, QString());
    m_limitsTabs->addTab(m_apiKeyLimitsEditor, QString());
    m_tabs->addTab(m_limitsTabs, QIcon(QStringLiteral(":/icons/save.svg")), QString());
    m_tabs->addTab(buildDeployment(), QIcon(QStringLiteral(":/icons/database.svg")), QString());
    m_violationsPage = new ViolationsPage(&m_controller, this);
    m_tabs->addTab(m_violationsPage, QIcon(QStringLiteral(":/icons/remove.svg")), QString());
    m_tabs->addTab(buildEvents(), QIcon(QStringLiteral(":/icons/info.svg")), QString());

    auto *central = new QWidget(this);
    auto *layout = new QVBoxLayout(central);
    layout->setContentsMargins(8, 6, 8, 4);
    layout->setSpacing(6);
    layout->addWidget(m_banner);
    layout->addWidget(m_tabs, 1);
    setCentralWidget(central);

    m_connectionLabel = new QLabel(this);
    m_connectionLabel->setObjectName(QStringLiteral("connectionLabel"));
    m_updatedLabel = new QLabel(this);
    m_updatedLabel->setObjectName(QStringLiteral("updatedLabel"));
    statusBar()->addWidget(m_connectionLabel, 1);
    statusBar()->addPermanentWidget(m_updatedLabel);

    connect(&m_controller, &ConsoleController::statsUpdated, this, &MainWindow::updateFigures);
    connect(&m_controller, &ConsoleController::redisStatusUpdated, this, &MainWindow::updateRedis);
    connect(&m_controller, &ConsoleController::stateChanged, this, &MainWindow::updateConnectionState);
    connect(&m_controller, &ConsoleController::bannerChanged, this,
            [this](ConsoleController::BannerLevel level, const QString &text) {
                switch (level) {
                case ConsoleController::BannerLevel::None: m_banner->setMessage(StatusBanner::Level::None, text); break;
                case ConsoleController::BannerLevel::Warning: m_banner->setMessage(StatusBanner::Level::Warning, text); break;
                case ConsoleController::BannerLevel::Error: m_banner->setMessage(StatusBanner::Level::Error, text); break;
                }
            });
    connect(&m_controller, &ConsoleController::actionFailed, this,
            [this](const QString &message) { statusBar()->showMessage(message, 8000); });
    connect(&m_controller, &ConsoleController::keyCleared, this,
            [this](const QString &key) { statusBar()->showMessage(tr("Cleared %1").arg(key), 5000); });
    connect(m_limitsEditor, &LimitsEditor::historyRequested, this, &MainWindow::showHistory);
    // A bypass attempt marks the Violations tab until the operator looks at it.
    connect(&m_controller, &ConsoleController::bypassAttemptsRose, this, [this] {
        if (m_tabs->currentWidget() != m_violationsPage)
            m_tabs->setTabIcon(m_tabs->indexOf(m_violationsPage), QIcon(QStringLiteral(":/icons/warning.svg")));
    });
    connect(m_tabs, &QTabWidget::currentChanged, this, [this] {
        if (m_tabs->currentWidget() == m_violationsPage)
            m_tabs->setTabIcon(m_tabs->indexOf(m_violationsPage), QIcon(QStringLiteral(":/icons/remove.svg")));
    });

    QSettings settings;
    m_intervalSpin->setValue(settings.value(QStringLiteral("ui/intervalSeconds"), 1.0).toDouble());
    m_controller.setTopKeyCount(settings.value(QStringLiteral("ui/topKeys"), 500).toInt());
    retranslate();
    updateConnectionState();
    resize(1280, 800);
    restoreGeometry(settings.value(QStringLiteral("ui/geometry")).toByteArray());
}

void MainWindow::buildActions()
{
    auto action = [this](const char *name, const char *icon) {
        auto *a = new QAction(this);
        a->setObjectName(QLatin1String(name));
        if (icon)
            a->setIcon(QIcon(QStringLiteral(":/icons/%1.svg").arg(QLatin1String(icon))));
        return a;
    };
    m_connectAction = action("connectAction", "connect");
    m_connectAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_O));
    m_embeddedAction = action("embeddedAction", "sluice");
    m_quitAction = action("quitAction", "quit");
    m_quitAction->setShortcut(QKeySequence::Quit);
    m_refreshAction = action("refreshAction", "refresh");
    m_refreshAction->setShortcut(QKeySequence::Refresh);
    m_pauseAction = action("pauseAction", "pause");
    m_pauseAction->setCheckable(true);
    // No plain-key shortcut: it would steal keys typed into the filter and the limit form.
    m_pauseAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_P));
    m_clearKeyAction = action("clearKeyAction", "clear");
    m_copyKeyAction = action("copyKeyAction", nullptr);
    m_historyAction = action("historyAction", "history");
    m_aboutAction = action("aboutAction", "sluice");

    connect(m_connectAction, &QAction::triggered, this, &MainWindow::showConnectDialog);
    connect(m_embeddedAction, &QAction::triggered, this, &MainWindow::connectToEmbedded);
    connect(m_quitAction, &QAction::triggered, this, &QWidget::close);
    connect(m_refreshAction, &QAction::triggered, &m_controller, &ConsoleController::refreshNow);
    connect(m_pauseAction, &QAction::toggled, this, [this](bool paused) {
        m_controller.setPolling(paused ? ConsoleController::Polling::Paused : ConsoleController::Polling::Running);
        m_pauseAction->setIcon(QIcon(paused ? QStringLiteral(":/icons/play.svg") : QStringLiteral(":/icons/pause.svg")));
        retranslate();
    });
    connect(m_clearKeyAction, &QAction::triggered, this, &MainWindow::clearSelectedKey);
    connect(m_copyKeyAction, &QAction::triggered, this,
            [this] { QApplication::clipboard()->setText(selectedKey()); });
    connect(m_historyAction, &QAction::triggered, this, &MainWindow::showHistory);
    connect(m_aboutAction, &QAction::triggered, this, [this] {
        QMessageBox::about(this, tr("About Sluice Console"),
                           tr("<h3>Sluice Console %1</h3><p>Live view and control of the Sluice rate limiter "
                              "through its admin API.</p>").arg(QStringLiteral(SLUICE_VERSION)));
    });

    m_intervalLabel = new QLabel(this);
    m_intervalSpin = new QDoubleSpinBox(this);
    m_intervalSpin->setObjectName(QStringLiteral("intervalSpin"));
    m_intervalSpin->setRange(0.5, 60);
    m_intervalSpin->setSingleStep(0.5);
    m_intervalSpin->setDecimals(1);
    connect(m_intervalSpin, &QDoubleSpinBox::valueChanged, this, [this](double seconds) {
        m_controller.setInterval(std::chrono::milliseconds(qRound64(seconds * 1000)));
        QSettings().setValue(QStringLiteral("ui/intervalSeconds"), seconds);
    });
}

void MainWindow::buildMenus()
{
    m_fileMenu = menuBar()->addMenu(QString());
    m_fileMenu->addAction(m_connectAction);
    m_fileMenu->addAction(m_embeddedAction);
    m_fileMenu->addSeparator();
    m_fileMenu->addAction(m_quitAction);
    m_viewMenu = menuBar()->addMenu(QString());
    m_viewMenu->addAction(m_refreshAction);
    m_viewMenu->addAction(m_pauseAction);
    m_viewMenu->addSeparator();
    m_viewMenu->addAction(m_historyAction);
    m_languageMenu = menuBar()->addMenu(QString());
    m_languageMenu->setObjectName(QStringLiteral("languageMenu"));
    m_languageGroup = new QActionGroup(this);
    const QString current = Languages::saved();
    auto *system = m_languageMenu->addAction(QString());
    system->setObjectName(QStringLiteral("languageSystemAction"));
    system->setData(QString());
    m_languageMenu->addSeparator();
    QList<QAction *> all{system};
    for (const QString &code : Languages::available()) {
        auto *a = m_languageMenu->addAction(Languages::nativeName(code));
        a->setObjectName(QStringLiteral("language_%1").arg(code));
        a->setData(code);
        all.append(a);
    }
    for (QAction *a : all) {
        a->setCheckable(true);
        a->setChecked(a->data().toString() == current);
        m_languageGroup->addAction(a);
        connect(a, &QAction::triggered, this, [this, a] { chooseLanguage(a->data().toString()); });
    }
    m_helpMenu = menuBar()->addMenu(QString());
    m_helpMenu->addAction(m_aboutAction);

    m_toolBar = addToolBar(QString());
    m_toolBar->setObjectName(QStringLiteral("mainToolBar"));
    m_toolBar->setMovable(false);
    m_toolBar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_toolBar->setIconSize(QSize(18, 18));
    m_toolBar->addAction(m_connectAction);
    m_toolBar->addSeparator();
    m_toolBar->addAction(m_refreshAction);
    m_toolBar->addAction(m_pauseAction);
    m_toolBar->addWidget(m_intervalLabel);
    m_toolBar->addWidget(m_intervalSpin);
    m_toolBar->addSeparator();
    m_toolBar->addAction(m_clearKeyAction);
    m_toolBar->addAction(m_historyAction);
}

QWidget *MainWindow::buildDashboard()
{
    auto *page = new QWidget(this);
    page->setObjectName(QStringLiteral("dashboardPage"));

    m_requestsTile = new StatTile(QStringLiteral("requestsTile"), page);
    m_blockedTile = new StatTile(QStringLiteral("blockedTile"), page);
    m_blockRateTile = new StatTile(QStringLiteral("blockRateTile"), page);
    m_allowedRateTile = new StatTile(QStringLiteral("allowedRateTile"), page);
    m_blockedRateTile = new StatTile(QStringLiteral("blockedRateTile"), page);
    m_latencyTile = new StatTile(QStringLiteral("latencyTile"), page);
    m_keysTile = new StatTile(QStringLiteral("trackedKeysTile"), page);
    m_redisTile = new StatTile(QStringLiteral("redisTile"), page);
    auto *tiles = new QHBoxLayout;
    tiles->setSpacing(8);
    for (StatTile *t : {m_requestsTile, m_blockedTile, m_blockRateTile, m_allowedRateTile, m_blockedRateTile,
                        m_latencyTile, m_keysTile, m_redisTile})
        tiles->addWidget(t);

    m_trafficChart = new TrafficChartView(page);
    m_trafficChart->setModel(m_controller.traffic());
    m_trafficChart->setMinimumHeight(220);
    m_topKeysChart = new TopKeysChartView(page);
    m_trafficBox = box(QStringLiteral("trafficBox"), m_trafficChart, page);
    m_topKeysBox = box(QStringLiteral("topKeysBox"), m_topKeysChart, page);
    auto *charts = new QSplitter(Qt::Horizontal, page);
    charts->setObjectName(QStringLiteral("chartsSplitter"));
    charts->addWidget(m_trafficBox);
    charts->addWidget(m_topKeysBox);
    charts->setStretchFactor(0, 3);
    charts->setStretchFactor(1, 2);
    charts->setChildrenCollapsible(false);

    m_keyFilter = new QLineEdit(page);
    m_keyFilter->setObjectName(QStringLiteral("keyFilterEdit"));
    m_keyFilter->setClearButtonEnabled(true);
    m_clearKeyButton = new QPushButton(QIcon(QStringLiteral(":/icons/clear.svg")), QString(), page);
    m_clearKeyButton->setObjectName(QStringLiteral("clearKeyButton"));
    m_keysProxy = new QSortFilterProxyModel(this);
    m_keysProxy->setObjectName(QStringLiteral("keysProxy"));
    m_keysProxy->setSourceModel(m_controller.keys());
    m_keysProxy->setSortRole(KeyUsageModel::SortRole);
    m_keysProxy->setFilterKeyColumn(-1);
    m_keysProxy->setFilterCaseSensitivity(Qt::CaseInsensitive);
    m_keysProxy->setDynamicSortFilter(true);
    m_keysView = new QTableView(page);
    m_keysView->setObjectName(QStringLiteral("keysTableView"));
    m_keysView->setModel(m_keysProxy);
    m_keysView->setSortingEnabled(true);
    m_keysView->sortByColumn(KeyUsageModel::UsageColumn, Qt::DescendingOrder);
    m_keysView->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_keysView->setSelectionMode(QAbstractItemView::SingleSelection);
    m_keysView->setAlternatingRowColors(true);
    m_keysView->setWordWrap(false);
    m_keysView->setContextMenuPolicy(Qt::CustomContextMenu);
    m_keysView->verticalHeader()->hide();
    m_keysView->verticalHeader()->setDefaultSectionSize(24);
    m_keysView->setItemDelegateForColumn(KeyUsageModel::UsageColumn, new UsageBarDelegate(m_keysView));
    QHeaderView *header = m_keysView->horizontalHeader();
    header->setSectionResizeMode(KeyUsageModel::KeyColumn, QHeaderView::Stretch);
    header->resizeSection(KeyUsageModel::StrategyColumn, 80);
    header->resizeSection(KeyUsageModel::ClientColumn, 150);
    header->resizeSection(KeyUsageModel::EndpointColumn, 150);
    header->resizeSection(KeyUsageModel::CountColumn, 70);
    header->resizeSection(KeyUsageModel::LimitColumn, 70);
    header->resizeSection(KeyUsageModel::UsageColumn, 140);
    header->resizeSection(KeyUsageModel::WindowColumn, 70);
    header->resizeSection(KeyUsageModel::ResetColumn, 90);
    // Delete clears only while the key table has focus (the action also sits in the tool bar, whose
    // interval box must keep its Delete key).
    new QShortcut(QKeySequence::Delete, m_keysView, this, &MainWindow::clearSelectedKey, Qt::WidgetShortcut);
    connect(m_keyFilter, &QLineEdit::textChanged, m_keysProxy, &QSortFilterProxyModel::setFilterFixedString);
    connect(m_clearKeyButton, &QPushButton::clicked, this, &MainWindow::clearSelectedKey);
    connect(m_keysView, &QWidget::customContextMenuRequested, this, &MainWindow::showKeyMenu);
    connect(m_keysView->selectionModel(), &QItemSelectionModel::selectionChanged, this, [this] {
        const bool any = !selectedKey().isEmpty();
        m_clearKeyButton->setEnabled(any);
        m_clearKeyAction->setEnabled(any);
    });
    m_clearKeyButton->setEnabled(false);
    m_clearKeyAction->setEnabled(false);

    auto *keysContent = new QWidget(page);
    auto *keysLayout = new QVBoxLayout(keysContent);
    keysLayout->setContentsMargins(0, 0, 0, 0);
    auto *keysBar = new QHBoxLayout;
    keysBar->addWidget(m_keyFilter, 1);
    keysBar->addWidget(m_clearKeyButton);
    keysLayout->addLayout(keysBar);
    keysLayout->addWidget(m_keysView, 1);
    m_keysBox = box(QStringLiteral("keysBox"), keysContent, page);

    auto *vertical = new QSplitter(Qt::Vertical, page);
    vertical->setObjectName(QStringLiteral("dashboardSplitter"));
    vertical->addWidget(charts);
    vertical->addWidget(m_keysBox);
    vertical->setStretchFactor(0, 1);
    vertical->setStretchFactor(1, 1);
    vertical->setChildrenCollapsible(false);

    auto *layout = new QVBoxLayout(page);
    layout->setContentsMargins(0, 6, 0, 0);
    layout->addLayout(tiles);
    layout->addWidget(vertical, 1);
    return page;
}

QWidget *MainWindow::buildDeployment()
{
    auto *page = new QWidget(this);
    page->setObjectName(QStringLiteral("deploymentPage"));
    m_redisBox = new QGroupBox(page);
    m_redisBox->setObjectName(QStringLiteral("redisBox"));
    auto *form = new QFormLayout(m_redisBox);
    for (int i = 0; i < 8; ++i) {
        m_redisLabels[i] = new QLabel(m_redisBox);
        m_redisValues[i] = new QLabel(QStringLiteral("–"), m_redisBox);
        m_redisValues[i]->setTextInteractionFlags(Qt::TextSelectableByMouse);
        form->addRow(m_redisLabels[i], m_redisValues[i]);
    }
    const char *names[] = {"redisEnabledValue", "redisConnectedValue", "redisModeValue", "redisAddressValue",
                           "redisDbValue", "redisPoolValue", "redisErrorsValue", "redisLastErrorValue"};
    for (int i = 0; i < 8; ++i)
        m_redisValues[i]->setObjectName(QLatin1String(names[i]));

    m_instances = new QTableWidget(0, 6, page);
    m_instances->setObjectName(QStringLiteral("instancesTable"));
    m_instances->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_instances->verticalHeader()->hide();
    m_instances->horizontalHeader()->setStretchLastSection(true);
    m_instances->setAlternatingRowColors(true);
    m_instancesHint = new QLabel(page);
    m_instancesHint->setObjectName(QStringLiteral("instancesHint"));
    m_instancesHint->setWordWrap(true);
    auto *instancesContent = new QWidget(page);
    auto *instancesLayout = new QVBoxLayout(instancesContent);
    instancesLayout->setContentsMargins(0, 0, 0, 0);
    instancesLayout->addWidget(m_instancesHint);
    instancesLayout->addWidget(m_instances, 1);
    m_instancesBox = box(QStringLiteral("instancesBox"), instancesContent, page);

    m_redisHealth = new RedisHealthView(page);
    auto *redisColumn = new QVBoxLayout;
    redisColumn->addWidget(m_redisBox);
    redisColumn->addWidget(m_redisHealth, 1);

    auto *layout = new QHBoxLayout(page);
    layout->addLayout(redisColumn, 1);
    layout->addWidget(m_instancesBox, 2);
    return page;
}

QWidget *MainWindow::buildEvents()
{
    m_eventsView = new QTableView(this);
    m_eventsView->setObjectName(QStringLiteral("eventsView"));
    m_eventsView->setModel(m_controller.events());
    m_eventsView->verticalHeader()->hide();
    m_eventsView->horizontalHeader()->setStretchLastSection(true);
    m_eventsView->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_eventsView->setAlternatingRowColors(true);
    m_eventsView->setColumnWidth(EventsModel::TimeColumn, 160);
    m_eventsView->setColumnWidth(EventsModel::SeverityColumn, 90);
    return m_eventsView;
}

void MainWindow::retranslate()
{
    setWindowTitle(m_controller.label().isEmpty() ? tr("Sluice Console")
                                                  : tr("%1 — Sluice Console").arg(m_controller.label()));
    m_fileMenu->setTitle(tr("&File"));
    m_viewMenu->setTitle(tr("&View"));
    m_languageMenu->setTitle(tr("&Language"));
    m_helpMenu->setTitle(tr("&Help"));
    m_toolBar->setWindowTitle(tr("Main toolbar"));
    m_connectAction->setText(tr("&Connect…"));
    m_connectAction->setToolTip(tr("Connect to a Sluice service"));
    m_embeddedAction->setText(tr("Use &embedded service"));
    m_embeddedAction->setEnabled(m_embedded.has_value());
    m_quitAction->setText(tr("&Quit"));
    m_refreshAction->setText(tr("&Refresh now"));
    m_pauseAction->setText(m_pauseAction->isChecked() ? tr("&Resume updates") : tr("&Pause updates"));
    m_clearKeyAction->setText(tr("C&lear key…"));
    m_clearKeyAction->setToolTip(tr("Reset the selected key's counter in the service"));
    m_copyKeyAction->setText(tr("&Copy key"));
    m_historyAction->setText(tr("Configuration &history…"));
    m_aboutAction->setText(tr("&About Sluice Console"));
    m_languageGroup->actions().constFirst()->setText(tr("System language"));
    m_intervalLabel->setText(tr("  Refresh every "));
    m_intervalSpin->setSuffix(tr(" s"));

    m_tabs->setTabText(0, tr("Dashboard"));
    m_tabs->setTabText(1, tr("Limits"));
    m_tabs->setTabText(2, tr("Deployment"));
    m_tabs->setTabText(3, tr("Violations"));
    m_tabs->setTabText(4, tr("Events"));
    m_requestsTile->setCaption(tr("Requests"));
    m_blockedTile->setCaption(tr("Blocked"));
    m_blockRateTile->setCaption(tr("Block rate"));
    m_allowedRateTile->setCaption(tr("Allowed / s"));
    m_blockedRateTile->setCaption(tr("Blocked / s"));
    m_latencyTile->setCaption(tr("Decision p50"));
    m_keysTile->setCaption(tr("Tracked keys", "short caption of a figure tile"));
    m_redisTile->setCaption(tr("Store"));
    m_trafficBox->setTitle(tr("Traffic, last 5 minutes"));
    m_topKeysBox->setTitle(tr("Top keys by usage"));
    m_keysBox->setTitle(tr("Tracked keys"));
    m_keyFilter->setPlaceholderText(tr("Filter keys, clients, endpoints…"));
    m_clearKeyButton->setText(tr("Clear key…"));
    m_redisBox->setTitle(tr("Redis"));
    const QString redisLabels[] = {tr("Enabled:"), tr("Connection:"), tr("Mode:"), tr("Address:"), tr("Database:"),
                                   tr("Pool size:"), tr("Errors:"), tr("Last error:")};
    for (int i = 0; i < 8; ++i)
        m_redisLabels[i]->setText(redisLabels[i]);
    m_instancesBox->setTitle(tr("Live instances"));
    m_instances->setHorizontalHeaderLabels({tr("Instance"), tr("Address"), tr("Mode"), tr("Requests"), tr("Blocked"),
                                            tr("Last seen")});
    m_limitsTabs->setTabText(0, tr("Endpoints"));
    m_limitsTabs->setTabText(1, tr("API keys"));
    m_limitsEditor->retranslate();
    m_apiKeyLimitsEditor->retranslate();
    m_violationsPage->retranslate();
    emit m_controller.keys()->headerDataChanged(Qt::Horizontal, 0, KeyUsageModel::ColumnCount - 1);
    emit m_controller.limits()->headerDataChanged(Qt::Horizontal, 0, LimitsModel::ColumnCount - 1);
    emit m_controller.apiKeyLimits()->headerDataChanged(Qt::Horizontal, 0, LimitsModel::ColumnCount - 1);
    emit m_controller.events()->headerDataChanged(Qt::Horizontal, 0, EventsModel::ColumnCount - 1);
    updateFigures();
    updateRedis();
    updateConnectionState();
}

void MainWindow::connectToEmbedded()
{
    if (!m_embedded)
        return;
    m_controller.connectTo(m_embedded->url, m_embedded->adminKey, tr("embedded service"));
    retranslate();
}

void MainWindow::connectToRemote(const QUrl &url, const QString &adminKey)
{
    m_controller.connectTo(url, adminKey, url.toString(QUrl::RemoveUserInfo | QUrl::StripTrailingSlash));
    retranslate();
}

void MainWindow::showConnectDialog()
{
    QSettings settings;
    ConnectionSettings recent(settings);
    ConnectDialog dialog(recent.recent(), m_embedded.has_value(), this);
    if (dialog.exec() != QDialog::Accepted)
        return;
    if (dialog.choice() == ConnectDialog::Choice::Embedded) {
        connectToEmbedded();
        return;
    }
    recent.remember(dialog.url().toString(), dialog.adminKey(), dialog.keyStorage());
    connectToRemote(dialog.url(), dialog.adminKey());
}

void MainWindow::showHistory()
{
    if (!m_history) {
        m_history = new HistoryDialog(m_controller.client(), this);
        m_history->setAttribute(Qt::WA_DeleteOnClose);
    } else {
        m_history->reload();
    }
    m_history->show();
    m_history->raise();
}

QString MainWindow::selectedKey() const
{
    const QModelIndexList rows = m_keysView->selectionModel()->selectedRows();
    return rows.isEmpty() ? QString() : rows.first().data(KeyUsageModel::KeyRole).toString();
}

void MainWindow::clearSelectedKey()
{
    const QString key = selectedKey();
    if (key.isEmpty())
        return;
    if (Confirmation::ask(this, tr("Clear key"),
                          tr("Reset the counter of %1? Its client gets its full quota back at once.").arg(key))
        != Confirmation::Answer::Yes)
        return;
    m_controller.clearKey(key);
}

void MainWindow::showKeyMenu(const QPoint &pos)
{
    const QModelIndex index = m_keysView->indexAt(pos);
    if (!index.isValid())
        return;
    m_keysView->selectRow(index.row());
    QMenu menu(this);
    menu.addAction(m_clearKeyAction);
    menu.addAction(m_copyKeyAction);
    menu.exec(m_keysView->viewport()->mapToGlobal(pos));
}

void MainWindow::updateFigures()
{
    const bool have = m_controller.hasStats();
    const AdminApi::Stats &s = m_controller.stats();
    const QString none = QStringLiteral("–");
    m_requestsTile->setValue(have ? compact(double(s.totalRequests)) : none);
    m_requestsTile->setDetail(have ? tr("since start") : QString());
    m_blockedTile->setValue(have ? compact(double(s.blockedRequests)) : none,
                            have && s.blockedRequests > 0 ? ChartTheme::blockedColor() : QColor());
    m_blockedTile->setDetail(have ? tr("HTTP 429 answers") : QString());
    const double rate = s.totalRequests > 0 ? 100.0 * double(s.blockedRequests) / double(s.totalRequests) : 0.0;
    m_blockRateTile->setValue(have ? QLocale().toString(rate, 'f', 1) + QStringLiteral(" %") : none);
    m_blockRateTile->setDetail(have ? tr("of all requests") : QString());
    const auto rates = m_controller.rates();
    m_allowedRateTile->setValue(rates ? perSecond(rates->allowedPerSecond) : none, ChartTheme::allowedColor());
    m_blockedRateTile->setValue(rates ? perSecond(rates->blockedPerSecond) : none,
                                rates && rates->blockedPerSecond > 0 ? ChartTheme::blockedColor() : QColor());
    m_allowedRateTile->setDetail(tr("requests per second"));
    m_blockedRateTile->setDetail(tr("requests per second"));
    m_latencyTile->setValue(have ? tr("%1 µs").arg(QLocale().toString(s.decisionLatencyP50Us, 'f', 0)) : none);
    m_latencyTile->setDetail(have ? tr("p99 %1 µs").arg(QLocale().toString(s.decisionLatencyP99Us, 'f', 0)) : QString());
    m_keysTile->setValue(have ? compact(double(s.trackedKeys)) : none);
    m_keysTile->setDetail(have ? tr("showing top %1").arg(m_controller.keys()->rowCount()) : QString());
    if (have) {
        m_topKeysChart->setTopKeys(s.currentRates);
        m_updatedLabel->setText(tr("Updated %1").arg(QTime::currentTime().toString(QStringLiteral("HH:mm:ss"))));
    }

    m_instancesHint->setText(s.instances.isEmpty()
                                 ? tr("Instances sharing a Redis deployment appear here; this service decides on its own.")
                                 : tr("%n instance(s) share this deployment.", nullptr, int(s.instances.size())));
    m_instances->setRowCount(int(s.instances.size()));
    for (int i = 0; i < s.instances.size(); ++i) {
        const AdminApi::InstanceInfo &in = s.instances.at(i);
        const QStringList cells{in.id, in.address, in.mode, QLocale().toString(in.totalRequests),
                                QLocale().toString(in.blockedRequests),
                                in.lastSeen.toLocalTime().toString(QStringLiteral("HH:mm:ss"))};
        for (int c = 0; c < cells.size(); ++c) {
            QTableWidgetItem *item = m_instances->item(i, c);
            if (!item) {
                item = new QTableWidgetItem;
                m_instances->setItem(i, c, item);
            }
            item->setText(cells.at(c));
        }
    }
}

void MainWindow::updateRedis()
{
    const AdminApi::RedisStatus &r = m_controller.redisStatus();
    const bool have = m_controller.hasRedisStatus();
    const QString none = QStringLiteral("–");
    QString store = none;
    QColor color;
    QString detail;
    if (have) {
        if (!r.enabled) {
            store = tr("Memory");
            detail = tr("Redis not configured");
        } else if (r.connected) {
            store = tr("Redis");
            color = ChartTheme::allowedColor();
            detail = r.addr;
        } else {
            store = tr("Fallback");
            color = QColor(0xfb, 0x8c, 0x00);
            detail = tr("Redis down: memory");
        }
    }
    m_redisTile->setValue(store, color);
    m_redisTile->setDetail(detail);
    const QString values[] = {
        have ? (r.enabled ? tr("yes") : tr("no")) : none,
        have ? (!r.enabled ? tr("not configured") : r.connected ? tr("connected") : tr("down, falling back to memory"))
             : none,
        have ? r.mode : none,
        have && !r.addr.isEmpty() ? r.addr : none,
        have ? QString::number(r.db) : none,
        have ? QString::number(r.poolSize) : none,
        have ? QLocale().toString(r.errorsTotal) : none,
        have && !r.lastError.isEmpty() ? r.lastError : none,
    };
    for (int i = 0; i < 8; ++i)
        m_redisValues[i]->setText(values[i]);
    m_redisHealth->setStatus(have ? std::optional(r) : std::nullopt);
}

void MainWindow::updateConnectionState()
{
    const auto state = m_controller.state();
    QString text = ConsoleController::stateLabel(state);
    if (!m_controller.label().isEmpty())
        text = tr("%1 · %2").arg(m_controller.label(), text);
    m_connectionLabel->setText(text);
    QString color;
    switch (state) {
    case ConsoleController::ConnectionState::Connected: color = QStringLiteral("#2e7d32"); break;
    case ConsoleController::ConnectionState::Connecting:
    case ConsoleController::ConnectionState::Idle: break;
    default: color = QStringLiteral("#c62828"); break;
    }
    m_connectionLabel->setStyleSheet(color.isEmpty() ? QString() : QStringLiteral("color: %1; font-weight: 600;").arg(color));
}

void MainWindow::chooseLanguage(const QString &code)
{
    Languages::save(code);
    Languages::install(code);
}

void MainWindow::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslate();
    QMainWindow::changeEvent(event);
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    QSettings().setValue(QStringLiteral("ui/geometry"), saveGeometry());
    QMainWindow::closeEvent(event);
}
