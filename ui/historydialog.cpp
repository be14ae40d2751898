#include "historydialog.h"

#include "adminclient.h"
#include "limitsmodel.h"

#include <QDialogButtonBox>
#include <QHeaderView>
#include <QIcon>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>

namespace {

QString describeRule(const std::optional<AdminApi::EndpointRule> &rule)
{
    if (!rule)
        return QStringLiteral("—");
    QString text = HistoryDialog::tr("%1 per %2").arg(QLocale().toString(rule->requests),
                                                       AdminApi::formatWindow(rule->windowSeconds));
    if (!rule->algorithm.isEmpty())
        text += QStringLiteral(", ") + LimitsModel::algorithmLabel(rule->algorithm);
    if (rule->burst > 0)
        text += HistoryDialog::tr(", burst %1").arg(rule->burst);
    return text;
}

} // namespace

HistoryDialog::HistoryDialog(AdminClient *client, QWidget *parent)
    : QDialog(parent)
    , m_client(client)
    , m_table(new QTableWidget(0, 6, this))
    , m_status(new QLabel(this))
{
    setObjectName(QStringLiteral("historyDialog"));
    setWindowTitle(tr("Configuration history"));
    setWindowIcon(QIcon(QStringLiteral(":/icons/history.svg")));
    m_table->setObjectName(QStringLiteral("historyTable"));
    m_table->setHorizontalHeaderLabels({tr("Time"), tr("Action"), tr("Endpoint"), tr("Before"), tr("After"),
                                        tr("Admin key id")});
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->setAlternatingRowColors(true);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    auto *refresh = buttons->addButton(tr("Refresh"), QDialogButtonBox::ActionRole);
    refresh->setIcon(QIcon(QStringLiteral(":/icons/refresh.svg")));
    connect(refresh, &QPushButton::clicked, this, &HistoryDialog::reload);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_table);
    layout->addWidget(m_status);
    layout->addWidget(buttons);
    connect(m_client, &AdminClient::historyReceived, this, &HistoryDialog::showHistory);
    connect(m_client, &AdminClient::requestFailed, this,
            [this](AdminClient::Operation op, const AdminClient::Failure &failure) {
                if (op == AdminClient::Operation::History)
                    m_status->setText(tr("Could not load the history (%1).")
                                          .arg(failure.apiError.message.isEmpty() ? failure.detail
                                                                                  : failure.apiError.message));
            });
    resize(860, 420);
    reload();
}

void HistoryDialog::reload()
{
    m_status->setText(tr("Loading…"));
    m_client->fetchHistory();
}

int HistoryDialog::entryCount() const
{
    return m_table->rowCount();
}

void HistoryDialog::showHistory(const QList<AdminApi::HistoryEntry> &history)
{
    m_table->setRowCount(int(history.size()));
    // Newest first, as an operator reads a change log.
    for (int i = 0; i < history.size(); ++i) {
        const AdminApi::HistoryEntry &e = history.at(history.size() - 1 - i);
        const QString endpoint = e.method.isEmpty() ? e.endpoint : e.method + QLatin1Char(' ') + e.endpoint;
        const QStringList cells{e.time.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")), e.action,
                                endpoint, describeRule(e.oldRule), describeRule(e.newRule), e.adminKeyId};
        for (int c = 0; c < cells.size(); ++c)
            m_table->setItem(i, c, new QTableWidgetItem(cells.at(c)));
    }
    m_table->resizeColumnsToContents();
    m_status->setText(history.isEmpty() ? tr("No configuration changes yet.")
                                        : tr("%n change(s).", nullptr, int(history.size())));
}
