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

// Object names of one editor's widgets (tests find them by name), in kFields order for the fields.
struct Names
{
    const char *editor, *table, *form, *formMessage, *newButton, *save, *remove, *history;
    const char *fields[6];
    const char *errors[6];
};
constexpr Names kEndpointNames{
    "limitsEditor", "limitsTableView", "limitForm", "limitFormMessage", "newLimitButton", "saveLimitButton",
    "removeLimitButton", "historyButton",
    {"limitEndpointEdit", "limitMethodCombo", "limitRequestsSpin", "limitWindowSpin", "limitAlgorithmCombo", "limitBurstSpin"},
    {"limitEndpointError", "limitMethodError", "limitRequestsError", "limitWindowError", "limitAlgorithmError", "limitBurstError"}};
constexpr Names kApiKeyNames{
    "apiKeyLimitsEditor", "apiKeyLimitsTableView", "apiKeyLimitForm", "apiKeyFormMessage", "newApiKeyLimitButton",
    "saveApiKeyLimitButton", "removeApiKeyLimitButton", "apiKeyHistoryButton",
    {"apiKeyIdEdit", "apiKeyMethodCombo", "apiKeyRequestsSpin", "apiKeyWindowSpin", "apiKeyAlgorithmCombo", "apiKeyBurstSpin"},
    {"apiKeyIdError", "apiKeyMethodError", "apiKeyRequestsError", "apiKeyWindowError", "apiKeyAlgorithmError", "apiKeyBurstError"}};

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
        else if (field == QLatin1String("key_id") || field == QLatin1String("api_key"))
            field = QStringLiteral("endpoint"); // an API-key limit's key stands where a rule's endpoint does
        if (!kFields.contains(field))
            result.append({QString(), part});
        else
            result.append({field, part.mid(colon + 1).trimmed()});
    }
    return result;
}

} // namespace

LimitsEditor::LimitsEditor(ConsoleController *controller, Subject subject, QWidget *parent)
    : QWidget(parent)
    , m_controller(controller)
    , m_subject(subject)
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
    const Names &names = subject == Subject::ApiKeys ? kApiKeyNames : kEndpointNames;
    setObjectName(QLatin1String(names.editor));
    m_table->setObjectName(QLatin1String(names.table));
    m_table->setModel(model());
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setAlternatingRowColors(true);
    m_table->verticalHeader()->hide();
    m_table->setWordWrap(false);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setSectionResizeMode(LimitsModel::EndpointColumn, QHeaderView::Stretch);
    m_table->horizontalHeader()->setSectionResizeMode(LimitsModel::StatusColumn, QHeaderView::Stretch);
    m_table->setColumnHidden(LimitsModel::MethodColumn, subject == Subject::ApiKeys);

    QWidget *editors[] = {m_endpoint, m_method, m_requests, m_window, m_algorithm, m_burst};
    for (int i = 0; i < 6; ++i)
        editors[i]->setObjectName(QLatin1String(names.fields[i]));
    m_endpoint->setPlaceholderText(subject == Subject::ApiKeys ? QStringLiteral("default") : QStringLiteral("/v1/chat/completions"));
    m_method->addItem(QString(), QString());
    for (const char *m : {"GET", "POST", "PUT", "PATCH", "DELETE"})
        m_method->addItem(QString::fromLatin1(m), QString::fromLatin1(m));
    // Wide ranges on purpose: the service is the authority on what is valid, and its message is shown.
    m_requests->setRange(0, 1'000'000'000);
    m_requests->setValue(60);
    m_requests->setGroupSeparatorShown(true);
    m_window->setRange(0, 100'000'000);
    m_window->setValue(60);
    for (const char *a : {"", "sliding_log", "sliding_window_counter", "token_bucket"})
        m_algorithm->addItem(QString(), QString::fromLatin1(a));
    m_burst->setRange(0, 1'000'000'000);
    m_formError->setObjectName(QLatin1String(names.formMessage));
    m_formError->setWordWrap(true);
    m_formError->setStyleSheet(QStringLiteral("color: #d32f2f;"));
    m_new->setObjectName(QLatin1String(names.newButton));
    m_save->setObjectName(QLatin1String(names.save));
    m_save->setDefault(true);
    m_remove->setObjectName(QLatin1String(names.remove));
    m_history->setObjectName(QLatin1String(names.history));
    // One history button per page: the endpoint editor's (the history lists API-key changes too).
    m_history->setVisible(subject == Subject::Endpoints);

    auto *form = new QGroupBox(this);
    form->setObjectName(QLatin1String(names.form));
    auto *grid = new QGridLayout(form);
    for (int i = 0; i < 6; ++i) {
        m_labels[i] = new QLabel(form);
        QLabel *error = errorLabel(QLatin1String(names.errors[i]));
        m_errors.insert(kFields.at(i), error);
        m_labels[i]->setBuddy(editors[i]);
        grid->addWidget(m_labels[i], i * 2, 0);
        grid->addWidget(editors[i], i * 2, 1);
        grid->addWidget(error, i * 2 + 1, 1);
    }
    // An API-key limit has no method.
    m_labels[1]->setVisible(subject == Subject::Endpoints);
    m_method->setVisible(subject == Subject::Endpoints);
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
    auto saved = [this](const QString &endpoint, const QString &method) {
        if (endpoint == m_pendingEndpoint && method == m_pendingMethod) {
            clearErrors();
            m_formError->setStyleSheet(QString());
            m_formError->setText(tr("Saved. The service applies the new limit to the next request."));
        }
    };
    if (subject == Subject::ApiKeys) {
        connect(controller, &ConsoleController::apiKeyLimitRejected, this,
                [this](const QString &keyId, const AdminApi::Error &error) { showRejection(keyId, {}, error); });
        connect(controller, &ConsoleController::apiKeyLimitSaved, this, [saved](const QString &keyId) { saved(keyId, {}); });
    } else {
        connect(controller, &ConsoleController::ruleRejected, this, &LimitsEditor::showRejection);
        connect(controller, &ConsoleController::ruleSaved, this, saved);
    }
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
    const bool apiKeys = m_subject == Subject::ApiKeys;
    const QString labels[] = {apiKeys ? tr("API &key id:") : tr("&Endpoint:"), tr("&Method:"), tr("&Requests:"), tr("&Window:"),
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
    static_cast<QGroupBox *>(m_formError->parentWidget())->setTitle(apiKeys ? tr("API-key limit") : tr("Limit"));
    m_new->setText(tr("&New"));
    m_save->setText(tr("&Save limit"));
    m_remove->setText(tr("&Remove…"));
    m_history->setText(tr("&History…"));
    m_endpoint->setToolTip(apiKeys ? tr("default for every API key without its own limit, or one key's id (16 hex digits, "
                                        "as the key table and the violations show it)")
                                   : tr("An exact path, or a prefix ending in /* such as /v1/images/*"));
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

LimitsModel *LimitsEditor::model() const
{
    return m_subject == Subject::ApiKeys ? m_controller->apiKeyLimits() : m_controller->limits();
}

void LimitsEditor::newRule()
{
    m_table->clearSelection();
    const qint64 requests = m_subject == Subject::ApiKeys ? m_controller->config().apiKeyRateLimit
                                                         : m_controller->config().requestRateLimit;
    editRule(AdminApi::EndpointRule{{}, {}, requests > 0 ? requests : 60,
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
    if (m_subject == Subject::ApiKeys)
        m_controller->saveApiKeyLimit(AdminApi::ApiKeyLimit::fromRule(rule.endpoint, rule));
    else
        m_controller->saveRule(rule);
}

void LimitsEditor::removeSelected()
{
    const QModelIndexList rows = m_table->selectionModel()->selectedRows();
    if (rows.isEmpty())
        return;
    const AdminApi::EndpointRule rule = model()->rule(rows.first().row());
    QString question;
    if (m_subject == Subject::Endpoints) {
        const QString what = rule.method.isEmpty() ? rule.endpoint : rule.method + QLatin1Char(' ') + rule.endpoint;
        question = tr("Remove the limit for %1? Requests to it fall back to the default limit.").arg(what);
    } else if (rule.endpoint == QLatin1String("default")) {
        question = tr("Remove the API-key default? API-key clients without their own limit fall back to the default limit.");
    } else {
        question = tr("Remove the limit for API key %1? Its client falls back to the API-key default.").arg(rule.endpoint);
    }
    if (Confirmation::ask(this, tr("Remove limit"), question) != Confirmation::Answer::Yes)
        return;
    if (m_subject == Subject::ApiKeys)
        m_controller->removeApiKeyLimit(rule.endpoint);
    else
        m_controller->removeRule(rule.endpoint, rule.method);
}

void LimitsEditor::selectionChanged()
{
    const QModelIndexList rows = m_table->selectionModel()->selectedRows();
    m_remove->setEnabled(!rows.isEmpty());
    if (!rows.isEmpty())
        editRule(model()->rule(rows.first().row()));
}

void LimitsEditor::selectRule(const QString &endpoint, const QString &method)
{
    const int row = model()->rowOf(endpoint, method);
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
