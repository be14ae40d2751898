#include "limitseditor.h"

#include "confirmation.h"
#include "consolecontroller.h"

#include <QComboBox>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QIcon>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QTableView>
#include <QVBoxLayout>

namespace {

const QStringList kFields{QStringLiteral("endpoint"), QStringLiteral("method"), QStringLiteral("requests"),
                          QStringLiteral("window"), QStringLiteral("algorithm"), QStringLiteral("burst")};

// Splits an API validation message into per-field parts. The service reports every problem as
// "<field>: <text>", several joined by "; "; field names are the API's and never translated.
// A part that names no known field is returned under the empty key.
QList<std::pair<QString, QString>> fieldMessages(const AdminApi::Error &error)
{
    QList<std::pair<QString, QString>> result;
    const QString message = error.message.isEmpty() ? error.error : error.message;
    for (const QString &part : message.split(QStringLiteral("; "), Qt::SkipEmptyParts)) {
        const qsizetype colon = part.indexOf(QLatin1Char(':'));
        QString field = colon > 0 ? part.left(colon).trimmed() : QString();
        if (field == QLatin1String("window_seconds"))
            field = QStringLiteral("window");
        if (!kFields.contains(field))
            result.append({QString(), part});
        else
            result.append({field, part.mid(colon + 1).trimmed()});
    }
    return result;
}

} // namespace

LimitsEditor::LimitsEditor(ConsoleController *controller, QWidget *parent)
    : QWidget(parent)
    , m_controller(controller)
    , m_table(new QTableView(this))
    , m_endpoint(new QLineEdit(this))
    , m_method(new QComboBox(this))
    , m_requests(new QSpinBox(this))
    , m_window(new QSpinBox(this))
    , m_algorithm(new QComboBox(this))
    , m_burst(new QSpinBox(this))
    , m_formError(new QLabel(this))
    , m_new(new QPushButton(QIcon(QStringLiteral(":/icons/add.svg")), QString(), this))
    , m_save(new QPushButton(QIcon(QStringLiteral(":/icons/save.svg")), QString(), this))
    , m_remove(new QPushButton(QIcon(QStringLiteral(":/icons/remove.svg")), QString(), this))
    , m_history(new QPushButton(QIcon(QStringLiteral(":/icons/history.svg")), QString(), this))
{
    setObjectName(QStringLiteral("limitsEditor"));
    m_table->setObjectName(QStringLiteral("limitsTableView"));
    m_table->setModel(controller->limits());
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setAlternatingRowColors(true);
    m_table->verticalHeader()->hide();
    m_table->setWordWrap(false);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setSectionResizeMode(LimitsModel::EndpointColumn, QHeaderView::Stretch);
    m_table->horizontalHeader()->setSectionResizeMode(LimitsModel::StatusColumn, QHeaderView::Stretch);

    m_endpoint->setObjectName(QStringLiteral("limitEndpointEdit"));
    m_endpoint->setPlaceholderText(QStringLiteral("/v1/chat/completions"));
    m_method->setObjectName(QStringLiteral("limitMethodCombo"));
    m_method->addItem(QString(), QString());
    for (const char *m : {"GET", "POST", "PUT", "PATCH", "DELETE"})
        m_method->addItem(QString::fromLatin1(m), QString::fromLatin1(m));
    // Wide ranges on purpose: the service is the authority on what is valid, and its message is shown.
    m_requests->setObjectName(QStringLiteral("limitRequestsSpin"));
    m_requests->setRange(0, 1'000'000'000);
    m_requests->setValue(60);
    m_requests->setGroupSeparatorShown(true);
    m_window->setObjectName(QStringLiteral("limitWindowSpin"));
    m_window->setRange(0, 100'000'000);
    m_window->setValue(60);
    m_algorithm->setObjectName(QStringLiteral("limitAlgorithmCombo"));
    for (const char *a : {"", "sliding_log", "sliding_window_counter", "token_bucket"})
        m_algorithm->addItem(QString(), QString::fromLatin1(a));
    m_burst->setObjectName(QStringLiteral("limitBurstSpin"));
    m_burst->setRange(0, 1'000'000'000);
    m_formError->setObjectName(QStringLiteral("limitFormMessage"));
    m_formError->setWordWrap(true);
    m_formError->setStyleSheet(QStringLiteral("color: #d32f2f;"));
    m_new->setObjectName(QStringLiteral("newLimitButton"));
    m_save->setObjectName(QStringLiteral("saveLimitButton"));
    m_save->setDefault(true);
    m_remove->setObjectName(QStringLiteral("removeLimitButton"));
    m_history->setObjectName(QStringLiteral("historyButton"));

    auto *form = new QGroupBox(this);
    form->setObjectName(QStringLiteral("limitForm"));
    auto *grid = new QGridLayout(form);
    QWidget *editors[] = {m_endpoint, m_method, m_requests, m_window, m_algorithm, m_burst};
    for (int i = 0; i < 6; ++i) {
        m_labels[i] = new QLabel(form);
        QLabel *error = errorLabel(QStringLiteral("limit%1Error").arg(kFields.at(i).at(0).toUpper() + kFields.at(i).mid(1)));
        m_errors.insert(kFields.at(i), error);
        m_labels[i]->setBuddy(editors[i]);
        grid->addWidget(m_labels[i], i * 2, 0);
        grid->addWidget(editors[i], i * 2, 1);
        grid->addWidget(error, i * 2 + 1, 1);
    }
    grid->addWidget(m_formError, 12, 0, 1, 2);
    auto *formButtons = new QHBoxLayout;
    formButtons->addWidget(m_new);
    formButtons->addStretch();
    formButtons->addWidget(m_save);
    grid->addLayout(formButtons, 13, 0, 1, 2);
    grid->setRowStretch(14, 1);
    grid->setColumnStretch(1, 1);

    auto *tableButtons = new QHBoxLayout;
    tableButtons->addWidget(m_remove);
    tableButtons->addStretch();
    tableButtons->addWidget(m_history);
    auto *left = new QVBoxLayout;
    left->addWidget(m_table, 1);
    left->addLayout(tableButtons);

    auto *layout = new QHBoxLayout(this);
    layout->addLayout(left, 3);
    layout->addWidget(form, 2);

    connect(m_new, &QPushButton::clicked, this, &LimitsEditor::newRule);
    connect(m_save, &QPushButton::clicked, this, &LimitsEditor::save);
    connect(m_endpoint, &QLineEdit::returnPressed, this, &LimitsEditor::save);
    connect(m_remove, &QPushButton::clicked, this, &LimitsEditor::removeSelected);
    connect(m_history, &QPushButton::clicked, this, &LimitsEditor::historyRequested);
    connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this, &LimitsEditor::selectionChanged);
    connect(m_algorithm, &QComboBox::currentIndexChanged, this, [this] {
        m_burst->setEnabled(m_algorithm->currentData().toString() == QLatin1String("token_bucket"));
    });
    connect(controller, &ConsoleController::ruleRejected, this, &LimitsEditor::showRejection);
    connect(controller, &ConsoleController::ruleSaved, this, [this](const QString &endpoint, const QString &method) {
        if (endpoint == m_pendingEndpoint && method == m_pendingMethod) {
            clearErrors();
            m_formError->setStyleSheet(QString());
            m_formError->setText(tr("Saved. The service applies the new limit to the next request."));
        }
    });
    connect(controller, &ConsoleController::configUpdated, this, [this] {
        if (!m_pendingEndpoint.isEmpty())
            selectRule(m_pendingEndpoint, m_pendingMethod);
    });
    connect(controller, &ConsoleController::actionFailed, this, [this](const QString &message) {
        m_formError->setStyleSheet(QStringLiteral("color: #d32f2f;"));
        m_formError->setText(message);
    });
    retranslate();
    m_burst->setEnabled(false);
    m_remove->setEnabled(false);
}

QLabel *LimitsEditor::errorLabel(const QString &objectName)
{
    auto *label = new QLabel(this);
    label->setObjectName(objectName);
    label->setWordWrap(true);
    label->setStyleSheet(QStringLiteral("color: #d32f2f;"));
    label->hide();
    return label;
}

void LimitsEditor::retranslate()
{
    const QString labels[] = {tr("&Endpoint:"), tr("&Method:"), tr("&Requests:"), tr("&Window:"),
                              tr("&Algorithm:"), tr("&Burst:")};
    for (int i = 0; i < 6; ++i)
        m_labels[i]->setText(labels[i]);
    m_method->setItemText(0, tr("any method"));
    m_algorithm->setItemText(0, tr("Server default"));
    for (int i = 1; i < m_algorithm->count(); ++i)
        m_algorithm->setItemText(i, LimitsModel::algorithmLabel(m_algorithm->itemData(i).toString()));
    m_requests->setSuffix(tr(" requests"));
    m_window->setSuffix(tr(" s"));
    m_burst->setSpecialValueText(tr("same as requests"));
    static_cast<QGroupBox *>(m_formError->parentWidget())->setTitle(tr("Limit"));
    m_new->setText(tr("&New"));
    m_save->setText(tr("&Save limit"));
    m_remove->setText(tr("&Remove…"));
    m_history->setText(tr("&History…"));
    m_endpoint->setToolTip(tr("An exact path, or a prefix ending in /* such as /v1/images/*"));
}

AdminApi::EndpointRule LimitsEditor::formRule() const
{
    AdminApi::EndpointRule rule;
    rule.endpoint = m_endpoint->text().trimmed();
    rule.method = m_method->currentData().toString();
    rule.requests = m_requests->value();
    rule.windowSeconds = m_window->value();
    rule.algorithm = m_algorithm->currentData().toString();
    rule.burst = m_burst->isEnabled() ? m_burst->value() : 0;
    return rule;
}

void LimitsEditor::editRule(const AdminApi::EndpointRule &rule)
{
    m_endpoint->setText(rule.endpoint);
    m_method->setCurrentIndex(std::max(0, m_method->findData(rule.method)));
    m_requests->setValue(int(std::min<qint64>(rule.requests, m_requests->maximum())));
    m_window->setValue(int(std::min<qint64>(rule.windowSeconds, m_window->maximum())));
    m_algorithm->setCurrentIndex(std::max(0, m_algorithm->findData(rule.algorithm)));
    m_burst->setValue(int(std::min<qint64>(rule.burst, m_burst->maximum())));
    clearErrors();
}

void LimitsEditor::newRule()
{
    m_table->clearSelection();
    editRule(AdminApi::EndpointRule{{}, {}, m_controller->config().requestRateLimit > 0 ? m_controller->config().requestRateLimit : 60,
                                    m_controller->config().windowSeconds > 0 ? m_controller->config().windowSeconds : 60,
                                    {}, 0});
    m_endpoint->setFocus();
}

void LimitsEditor::save()
{
    clearErrors();
    const AdminApi::EndpointRule rule = formRule();
    m_pendingEndpoint = rule.endpoint;
    m_pendingMethod = rule.method;
    m_formError->setStyleSheet(QString());
    m_formError->setText(tr("Sending…"));
    m_controller->saveRule(rule);
}

void LimitsEditor::removeSelected()
{
    const QModelIndexList rows = m_table->selectionModel()->selectedRows();
    if (rows.isEmpty())
        return;
    const AdminApi::EndpointRule rule = m_controller->limits()->rule(rows.first().row());
    const QString what = rule.method.isEmpty() ? rule.endpoint : rule.method + QLatin1Char(' ') + rule.endpoint;
    if (Confirmation::ask(this, tr("Remove limit"),
                          tr("Remove the limit for %1? Requests to it fall back to the default limit.").arg(what))
        != Confirmation::Answer::Yes)
        return;
    m_controller->removeRule(rule.endpoint, rule.method);
}

void LimitsEditor::selectionChanged()
{
    const QModelIndexList rows = m_table->selectionModel()->selectedRows();
    m_remove->setEnabled(!rows.isEmpty());
    if (!rows.isEmpty())
        editRule(m_controller->limits()->rule(rows.first().row()));
}

void LimitsEditor::selectRule(const QString &endpoint, const QString &method)
{
    const int row = m_controller->limits()->rowOf(endpoint, method);
    if (row < 0)
        return;
    const QSignalBlocker blocker(m_table->selectionModel());
    m_table->selectRow(row);
    m_remove->setEnabled(true);
}

void LimitsEditor::showRejection(const QString &endpoint, const QString &method, const AdminApi::Error &error)
{
    if (endpoint != m_pendingEndpoint || method != m_pendingMethod)
        return;
    clearErrors();
    QStringList unplaced;
    for (const auto &[field, text] : fieldMessages(error)) {
        QLabel *label = m_errors.value(field);
        if (!label) {
            unplaced.append(text);
            continue;
        }
        label->setText(label->text().isEmpty() ? text : label->text() + QLatin1Char('\n') + text);
        label->show();
    }
    m_formError->setStyleSheet(QStringLiteral("color: #d32f2f;"));
    m_formError->setText(unplaced.isEmpty() ? tr("The service rejected this limit.") : unplaced.join(QLatin1Char('\n')));
}

void LimitsEditor::clearErrors()
{
    for (QLabel *label : std::as_const(m_errors)) {
        label->clear();
        label->hide();
    }
    m_formError->clear();
}
