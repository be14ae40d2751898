#include "limitsmodel.h"

#include <QBrush>
#include <QLocale>

LimitsModel::LimitsModel(Subject subject, QObject *parent)
    : QAbstractTableModel(parent)
    , m_subject(subject)
{
}

int LimitsModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int LimitsModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QString LimitsModel::algorithmLabel(const QString &algorithm)
{
    if (algorithm == QLatin1String("sliding_log"))
        return tr("Sliding log (exact)");
    if (algorithm == QLatin1String("sliding_window_counter"))
        return tr("Sliding window counter");
    if (algorithm == QLatin1String("token_bucket"))
        return tr("Token bucket");
    if (algorithm.isEmpty())
        return tr("Default");
    return algorithm;
}

QVariant LimitsModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row &row = m_rows.at(index.row());
    const AdminApi::EndpointRule &r = row.rule;
    if (role == Qt::DisplayRole) {
        switch (index.column()) {
        case EndpointColumn:
            if (m_subject == Subject::ApiKeys && r.endpoint == QLatin1String("default"))
                return tr("default (all API keys)");
            return r.endpoint;
        case MethodColumn: return r.method.isEmpty() ? tr("any") : r.method;
        case RequestsColumn: return QLocale().toString(r.requests);
        case WindowColumn: return AdminApi::formatWindow(r.windowSeconds);
        case AlgorithmColumn: return algorithmLabel(r.algorithm);
        case BurstColumn: return r.burst > 0 ? QLocale().toString(r.burst) : QString();
        case StatusColumn:
            switch (row.state) {
            case RowState::Stored: return tr("Active");
            case RowState::Saving: return tr("Saving…");
            case RowState::Rejected: return tr("Rejected: %1").arg(row.message);
            }
            break;
        default: break;
        }
    } else if (role == Qt::ToolTipRole && row.state == RowState::Rejected) {
        return row.message;
    } else if (role == Qt::ForegroundRole && index.column() == StatusColumn && row.state == RowState::Rejected) {
        return QBrush(QColor(0xd3, 0x2f, 0x2f));
    } else if (role == Qt::TextAlignmentRole) {
        const bool numeric = index.column() == RequestsColumn || index.column() == WindowColumn
                             || index.column() == BurstColumn;
        return int((numeric ? Qt::AlignRight : Qt::AlignLeft) | Qt::AlignVCenter);
    }
    return {};
}

QVariant LimitsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case EndpointColumn: return m_subject == Subject::ApiKeys ? tr("API key") : tr("Endpoint");
    case MethodColumn: return tr("Method");
    case RequestsColumn: return tr("Requests");
    case WindowColumn: return tr("Window");
    case AlgorithmColumn: return tr("Algorithm");
    case BurstColumn: return tr("Burst");
    case StatusColumn: return tr("Status");
    default: return {};
    }
}

int LimitsModel::rowOf(const QString &endpoint, const QString &method) const
{
    for (int i = 0; i < m_rows.size(); ++i) {
        if (m_rows.at(i).rule.endpoint == endpoint && m_rows.at(i).rule.method == method)
            return i;
    }
    return -1;
}

QList<AdminApi::EndpointRule> LimitsModel::rules() const
{
    QList<AdminApi::EndpointRule> result;
    for (const Row &row : m_rows)
        result.append(row.rule);
    return result;
}

void LimitsModel::setRules(const QList<AdminApi::EndpointRule> &rules)
{
    // Remove rows whose rule is gone (a rejected new row stays until the operator acts on it).
    for (int i = int(m_rows.size()) - 1; i >= 0; --i) {
        const Row &row = m_rows.at(i);
        const bool present = std::any_of(rules.begin(), rules.end(), [&](const AdminApi::EndpointRule &r) {
            return r.endpoint == row.rule.endpoint && r.method == row.rule.method;
        });
        if (!present && row.state == RowState::Stored) {
            beginRemoveRows({}, i, i);
            m_rows.removeAt(i);
            endRemoveRows();
        }
    }
    for (const AdminApi::EndpointRule &r : rules) {
        const int i = rowOf(r.endpoint, r.method);
        if (i < 0) {
            beginInsertRows({}, int(m_rows.size()), int(m_rows.size()));
            m_rows.append(Row{r, RowState::Stored, {}});
            endInsertRows();
        } else if (m_rows.at(i).state == RowState::Stored) {
            m_rows[i] = Row{r, RowState::Stored, {}};
            emit dataChanged(index(i, 0), index(i, ColumnCount - 1));
        }
    }
}

void LimitsModel::markSaving(const AdminApi::EndpointRule &rule)
{
    const int i = rowOf(rule.endpoint, rule.method);
    if (i < 0) {
        beginInsertRows({}, int(m_rows.size()), int(m_rows.size()));
        m_rows.append(Row{rule, RowState::Saving, {}});
        endInsertRows();
        return;
    }
    m_rows[i] = Row{rule, RowState::Saving, {}};
    emit dataChanged(index(i, 0), index(i, ColumnCount - 1));
}

void LimitsModel::markRejected(const QString &endpoint, const QString &method, const QString &message)
{
    const int i = rowOf(endpoint, method);
    if (i < 0)
        return;
    m_rows[i].state = RowState::Rejected;
    m_rows[i].message = message;
    emit dataChanged(index(i, 0), index(i, ColumnCount - 1));
}

void LimitsModel::markStored(const QString &endpoint, const QString &method)
{
    const int i = rowOf(endpoint, method);
    if (i < 0)
        return;
    m_rows[i].state = RowState::Stored;
    m_rows[i].message.clear();
    emit dataChanged(index(i, 0), index(i, ColumnCount - 1));
}

void LimitsModel::removeRule(const QString &endpoint, const QString &method)
{
    const int i = rowOf(endpoint, method);
    if (i < 0)
        return;
    beginRemoveRows({}, i, i);
    m_rows.removeAt(i);
    endRemoveRows();
}
