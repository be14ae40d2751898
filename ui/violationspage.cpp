#include "violationspage.h"

#include "charttheme.h"
#include "consolecontroller.h"
#include "stattile.h"

#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QTime>
#include <QVBoxLayout>

namespace {

struct BypassKind
{
    const char *name;       // as stats.bypass_attempts names it
    const char *objectName; // of its tile
};
constexpr BypassKind kBypassKinds[] = {
    {"untrusted_forwarded_header", "bypassForwardedTile"},
    {"api_key_cycling", "bypassKeyCyclingTile"},
    {"malformed_identity_header", "bypassMalformedTile"},
};

} // namespace

ViolationsPage::ViolationsPage(ConsoleController *controller, QWidget *parent)
    : QWidget(parent)
    , m_controller(controller)
    , m_totalTile(new StatTile(QStringLiteral("violationsTotalTile"), this))
    , m_filter(new QLineEdit(this))
    , m_proxy(new QSortFilterProxyModel(this))
    , m_table(new QTableView(this))
    , m_hint(new QLabel(this))
{
    setObjectName(QStringLiteral("violationsPage"));
    auto *tiles = new QHBoxLayout;
    tiles->setSpacing(8);
    tiles->addWidget(m_totalTile);
    for (const BypassKind &kind : kBypassKinds) {
        auto *tile = new StatTile(QLatin1String(kind.objectName), this);
        m_bypassTiles.insert(QLatin1String(kind.name), tile);
        tiles->addWidget(tile);
    }

    m_filter->setObjectName(QStringLiteral("violationsFilterEdit"));
    m_filter->setClearButtonEnabled(true);
    m_proxy->setObjectName(QStringLiteral("violationsProxy"));
    m_proxy->setSourceModel(controller->violations());
    m_proxy->setSortRole(ViolationsModel::SortRole);
    m_proxy->setFilterKeyColumn(-1);
    m_proxy->setFilterCaseSensitivity(Qt::CaseInsensitive);
    m_proxy->setDynamicSortFilter(true);
    m_table->setObjectName(QStringLiteral("violationsTableView"));
    m_table->setModel(m_proxy);
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(ViolationsModel::TimeColumn, Qt::DescendingOrder);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setAlternatingRowColors(true);
    m_table->setWordWrap(false);
    m_table->verticalHeader()->hide();
    m_table->verticalHeader()->setDefaultSectionSize(24);
    QHeaderView *header = m_table->horizontalHeader();
    header->resizeSection(ViolationsModel::TimeColumn, 110);
    header->resizeSection(ViolationsModel::ClientColumn, 200);
    header->resizeSection(ViolationsModel::RuleColumn, 220);
    header->setSectionResizeMode(ViolationsModel::KeyColumn, QHeaderView::Stretch);
    header->resizeSection(ViolationsModel::LimitColumn, 70);
    header->resizeSection(ViolationsModel::RetryAfterColumn, 100);
    m_hint->setObjectName(QStringLiteral("violationsHint"));
    m_hint->setWordWrap(true);

    m_tableBox = new QGroupBox(this);
    m_tableBox->setObjectName(QStringLiteral("violationsBox"));
    auto *filterBar = new QHBoxLayout;
    filterBar->addWidget(m_filter, 1);
    filterBar->addWidget(m_hint, 2);
    auto *boxLayout = new QVBoxLayout(m_tableBox);
    boxLayout->setContentsMargins(4, 4, 4, 4);
    boxLayout->addLayout(filterBar);
    boxLayout->addWidget(m_table, 1);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 6, 0, 0);
    layout->addLayout(tiles);
    layout->addWidget(m_tableBox, 1);

    connect(m_filter, &QLineEdit::textChanged, m_proxy, &QSortFilterProxyModel::setFilterFixedString);
    connect(controller, &ConsoleController::statsUpdated, this, &ViolationsPage::updateFigures);
    connect(controller, &ConsoleController::violationsUpdated, this, &ViolationsPage::updateFigures);
    connect(controller, &ConsoleController::bypassAttemptsRose, this, [this](const QString &kind, qint64 delta) {
        m_lastRise.insert(kind, Rise{delta, QTime::currentTime().toString(QStringLiteral("HH:mm:ss"))});
        updateFigures();
    });
    connect(controller, &ConsoleController::stateChanged, this, [this](ConsoleController::ConnectionState state) {
        if (state == ConsoleController::ConnectionState::Connecting)
            m_lastRise.clear();
        updateFigures();
    });
    retranslate();
}

void ViolationsPage::retranslate()
{
    m_totalTile->setCaption(tr("Violations"));
    m_totalTile->setToolTip(tr("Requests the service rejected with HTTP 429 since it started."));
    const QString captions[] = {tr("Untrusted forwarded header"), tr("API-key cycling"), tr("Malformed identity")};
    const QString tips[] = {
        tr("Requests with X-Forwarded-For, X-Real-IP or X-Forwarded-Uri from a peer that is not in "
           "TRUSTED_PROXIES: the service ignores the header and limits the peer's own address."),
        tr("Further distinct API keys from one address within a minute after its first five: "
           "a client rotating keys to get a fresh quota each time."),
        tr("Requests whose X-API-Key or Authorization header was empty, too long, held control "
           "characters or was no Bearer token, so it cannot identify a client."),
    };
    for (int i = 0; i < int(std::size(kBypassKinds)); ++i) {
        StatTile *tile = m_bypassTiles.value(QLatin1String(kBypassKinds[i].name));
        tile->setCaption(captions[i]);
        tile->setToolTip(tips[i]);
    }
    m_tableBox->setTitle(tr("Recent violations"));
    m_filter->setPlaceholderText(tr("Filter clients, rules, keys…"));
    emit m_controller->violations()->headerDataChanged(Qt::Horizontal, 0, ViolationsModel::ColumnCount - 1);
    updateFigures();
}

void ViolationsPage::updateFigures()
{
    const QString none = QStringLiteral("–");
    const ViolationsModel *model = m_controller->violations();
    const bool have = m_controller->hasStats();
    m_totalTile->setValue(have ? QLocale().toString(model->total()) : none,
                          model->total() > 0 ? ChartTheme::blockedColor() : QColor());
    m_totalTile->setDetail(have ? tr("since start") : QString());
    for (auto it = m_bypassTiles.cbegin(); it != m_bypassTiles.cend(); ++it) {
        const qint64 count = m_controller->stats().bypassAttempts.value(it.key());
        it.value()->setValue(have ? QLocale().toString(count) : none,
                             have && count > 0 ? ChartTheme::blockedColor() : QColor());
        const auto rise = m_lastRise.constFind(it.key());
        it.value()->setDetail(!have                       ? QString()
                              : rise != m_lastRise.cend() ? tr("+%1 at %2").arg(rise->delta).arg(rise->at)
                                                          : tr("since start"));
    }

    QString hint = tr("Newest %1 of %2 violations since the service started.")
                       .arg(QLocale().toString(model->rowCount()), QLocale().toString(model->total()));
    if (model->missed() > 0)
        hint += QLatin1Char(' ')
                + tr("%n arrived faster than the console refreshes and are not listed.", nullptr, int(model->missed()));
    m_hint->setText(hint);
}
