#include "violationsmodel.h"

#include <QLocale>

namespace {

bool sameViolation(const AdminApi::Violation &a, const AdminApi::Violation &b)
{
    return a.time == b.time && a.retryAfterMs == b.retryAfterMs && a.key == b.key && a.client == b.client
           && a.rule == b.rule && a.limit == b.limit;
}

QString ruleText(const QString &rule)
{
    if (rule == QLatin1String("default"))
        return ViolationsModel::tr("default limit");
    if (rule == QLatin1String("api_key_default"))
        return ViolationsModel::tr("API-key default");
    if (rule == QLatin1String("api_key_override"))
        return ViolationsModel::tr("API-key override");
    const QLatin1String endpoint("endpoint ");
    return rule.startsWith(endpoint) ? rule.mid(endpoint.size()) : rule;
}

QString retryText(qint64 ms)
{
    if (ms < 1000)
        return ViolationsModel::tr("%1 ms").arg(ms);
    if (ms < 60'000)
        return ViolationsModel::tr("%1 s").arg(QLocale().toString(double(ms) / 1000.0, 'f', 1));
    return ViolationsModel::tr("%1 min %2 s").arg(ms / 60'000).arg((ms % 60'000) / 1000);
}

} // namespace

ViolationsModel::ViolationsModel(qsizetype capacity, QObject *parent)
    : QAbstractTableModel(parent)
    , m_capacity(std::max<qsizetype>(capacity, 1))
{
}

int ViolationsModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int ViolationsModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ViolationsModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const AdminApi::Violation &v = m_rows.at(index.row());
    switch (role) {
    case Qt::ToolTipRole:
        switch (index.column()) {
        case TimeColumn: return v.time.toLocalTime().toString(Qt::ISODateWithMs);
        case KeyColumn: return v.key;
        case RuleColumn: return v.rule;
        default: return {};
        }
    case Qt::TextAlignmentRole:
        switch (index.column()) {
        case LimitColumn: case RetryAfterColumn: return int(Qt::AlignRight | Qt::AlignVCenter);
        default: return int(Qt::AlignLeft | Qt::AlignVCenter);
        }
    case SortRole:
        switch (index.column()) {
        case TimeColumn: return v.time.toMSecsSinceEpoch();
        case LimitColumn: return v.limit;
        case RetryAfterColumn: return v.retryAfterMs;
        default: break;
        }
        [[fallthrough]];
    case Qt::DisplayRole:
        switch (index.column()) {
        case TimeColumn: return v.time.toLocalTime().toString(QStringLiteral("HH:mm:ss.zzz"));
        case ClientColumn: return v.client;
        case RuleColumn: return ruleText(v.rule);
        case KeyColumn: return v.key;
        case LimitColumn: return QLocale().toString(v.limit);
        case RetryAfterColumn: return retryText(v.retryAfterMs);
        default: break;
        }
        break;
    default:
        break;
    }
    return {};
}

QVariant ViolationsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case TimeColumn: return tr("Time");
    case ClientColumn: return tr("Client");
    case RuleColumn: return tr("Rule");
    case KeyColumn: return tr("Key");
    case LimitColumn: return tr("Limit");
    case RetryAfterColumn: return tr("Retry after");
    default: return {};
    }
}

qsizetype ViolationsModel::update(const QList<AdminApi::Violation> &recent, qint64 total)
{
    // A smaller total means the service restarted: the rows shown belong to its previous run.
    if (total < m_total)
        clear();
    const qsizetype fresh = newEntries(recent);
    if (fresh == recent.size() && !m_rows.isEmpty())
        m_missed += std::max<qint64>(0, total - m_total - fresh);
    m_total = total;

    const qsizetype added = std::min(fresh, m_capacity);
    if (added > 0) {
        beginInsertRows({}, 0, int(added) - 1);
        m_rows = recent.first(added) + m_rows;
        endInsertRows();
    }
    if (m_rows.size() > m_capacity) {
        beginRemoveRows({}, int(m_capacity), int(m_rows.size()) - 1);
        m_rows.resize(m_capacity);
        endRemoveRows();
    }
    return added;
}

qsizetype ViolationsModel::newEntries(const QList<AdminApi::Violation> &recent) const
{
    // The smallest shift at which the answer's tail lines up with the rows shown. Comparing the whole
    // overlap, not one entry, keeps a burst of identical-looking 429s within one millisecond apart.
    // Violations have no id; the service's total alone would not do either, as it is read a moment
    // after the list and can run ahead of it.
    for (qsizetype shift = 0; shift < recent.size(); ++shift) {
        const qsizetype overlap = std::min(recent.size() - shift, m_rows.size());
        bool aligned = true;
        for (qsizetype j = 0; j < overlap && aligned; ++j)
            aligned = sameViolation(recent.at(shift + j), m_rows.at(j));
        if (aligned && overlap > 0)
            return shift;
    }
    return recent.size();
}

void ViolationsModel::clear()
{
    if (!m_rows.isEmpty()) {
        beginRemoveRows({}, 0, int(m_rows.size()) - 1);
        m_rows.clear();
        endRemoveRows();
    }
    m_total = 0;
    m_missed = 0;
}
