#include "keyusagemodel.h"

#include <QLocale>

#include <algorithm>

namespace {

bool sameRate(const AdminApi::CurrentRate &a, const AdminApi::CurrentRate &b)
{
    return a.currentCount == b.currentCount && a.limit == b.limit && a.resetTime == b.resetTime
           && a.windowSeconds == b.windowSeconds && a.window == b.window && a.algorithm == b.algorithm
           && a.strategy == b.strategy && a.client == b.client && a.endpoint == b.endpoint;
}

double usageOf(const AdminApi::CurrentRate &r)
{
    return r.limit > 0 ? double(r.currentCount) / double(r.limit) : 0.0;
}

QString countdown(qint64 seconds)
{
    if (seconds <= 0)
        return KeyUsageModel::tr("now");
    if (seconds < 60)
        return KeyUsageModel::tr("%1 s").arg(seconds);
    if (seconds < 3600)
        return KeyUsageModel::tr("%1 min %2 s").arg(seconds / 60).arg(seconds % 60);
    return KeyUsageModel::tr("%1 h %2 min").arg(seconds / 3600).arg((seconds % 3600) / 60);
}

} // namespace

KeyUsageModel::KeyUsageModel(QObject *parent)
    : QAbstractTableModel(parent)
{
}

int KeyUsageModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int KeyUsageModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant KeyUsageModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const AdminApi::CurrentRate &r = m_rows.at(index.row());
    const qint64 resetIn = std::max<qint64>(0, r.resetTime - m_nowSeconds);
    switch (role) {
    case KeyRole:
        return r.key;
    case UsageRole:
        return usageOf(r);
    case Qt::ToolTipRole:
        return index.column() == KeyColumn ? QVariant(r.key) : QVariant();
    case Qt::TextAlignmentRole:
        switch (index.column()) {
        case CountColumn: case LimitColumn: case WindowColumn: case ResetColumn:
            return int(Qt::AlignRight | Qt::AlignVCenter);
        default:
            return int(Qt::AlignLeft | Qt::AlignVCenter);
        }
    case SortRole:
        switch (index.column()) {
        case CountColumn: return r.currentCount;
        case LimitColumn: return r.limit;
        case UsageColumn: return usageOf(r);
        case WindowColumn: return r.windowSeconds;
        case ResetColumn: return resetIn;
        default: break;
        }
        [[fallthrough]];
    case Qt::DisplayRole:
        switch (index.column()) {
        case KeyColumn: return r.key;
        case StrategyColumn: return r.strategy;
        case ClientColumn: return r.client;
        case EndpointColumn: return r.endpoint;
        case CountColumn: return QLocale().toString(r.currentCount);
        case LimitColumn: return QLocale().toString(r.limit);
        case UsageColumn: return QStringLiteral("%1 %").arg(qRound(usageOf(r) * 100));
        case WindowColumn: return r.window.isEmpty() ? AdminApi::formatWindow(r.windowSeconds) : r.window;
        case ResetColumn: return countdown(resetIn);
        default: break;
        }
        break;
    default:
        break;
    }
    return {};
}

QVariant KeyUsageModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case KeyColumn: return tr("Key");
    case StrategyColumn: return tr("Strategy");
    case ClientColumn: return tr("Client");
    case EndpointColumn: return tr("Endpoint");
    case CountColumn: return tr("Count");
    case LimitColumn: return tr("Limit");
    case UsageColumn: return tr("Usage");
    case WindowColumn: return tr("Window");
    case ResetColumn: return tr("Resets in");
    default: return {};
    }
}

void KeyUsageModel::update(const QList<AdminApi::CurrentRate> &rates, qint64 nowSeconds)
{
    QHash<QString, qsizetype> incoming;
    incoming.reserve(rates.size());
    for (qsizetype i = 0; i < rates.size(); ++i)
        incoming.insert(rates.at(i).key, i);

    QList<int> gone;
    for (int row = 0; row < m_rows.size(); ++row) {
        if (!incoming.contains(m_rows.at(row).key))
            gone.append(row);
    }
    removeRows(gone);

    QList<int> changed;
    QList<qsizetype> added;
    for (qsizetype i = 0; i < rates.size(); ++i) {
        const int row = m_index.value(rates.at(i).key, -1);
        if (row < 0) {
            added.append(i);
        } else if (!sameRate(m_rows.at(row), rates.at(i))) {
            m_rows[row] = rates.at(i);
            changed.append(row);
        }
    }
    emitChangedRanges(changed);

    if (!added.isEmpty()) {
        const int first = int(m_rows.size());
        beginInsertRows({}, first, first + int(added.size()) - 1);
        for (qsizetype i : added) {
            m_index.insert(rates.at(i).key, int(m_rows.size()));
            m_rows.append(rates.at(i));
        }
        endInsertRows();
    }

    // Countdowns move with the clock even for rows whose data did not change: one signal per column.
    if (nowSeconds != m_nowSeconds) {
        m_nowSeconds = nowSeconds;
        if (!m_rows.isEmpty())
            emit dataChanged(index(0, ResetColumn), index(int(m_rows.size()) - 1, ResetColumn));
    }
}

void KeyUsageModel::removeKey(const QString &key)
{
    const int row = rowOfKey(key);
    if (row >= 0)
        removeRows({row});
}

void KeyUsageModel::clear()
{
    if (m_rows.isEmpty())
        return;
    beginResetModel();
    m_rows.clear();
    m_index.clear();
    endResetModel();
}

void KeyUsageModel::removeRows(QList<int> rows)
{
    if (rows.isEmpty())
        return;
    std::sort(rows.begin(), rows.end(), std::greater<>());
    // Contiguous runs, last first, so earlier row numbers stay valid while removing.
    qsizetype i = 0;
    while (i < rows.size()) {
        const int last = rows.at(i);
        int first = last;
        while (i + 1 < rows.size() && rows.at(i + 1) == first - 1)
            first = rows.at(++i);
        ++i;
        beginRemoveRows({}, first, last);
        m_rows.remove(first, last - first + 1);
        endRemoveRows();
    }
    rebuildIndex();
}

void KeyUsageModel::rebuildIndex()
{
    m_index.clear();
    m_index.reserve(m_rows.size());
    for (int row = 0; row < m_rows.size(); ++row)
        m_index.insert(m_rows.at(row).key, row);
}

void KeyUsageModel::emitChangedRanges(const QList<int> &rows)
{
    if (rows.isEmpty())
        return;
    // One signal spanning the first to the last changed row: a sorting proxy then re-sorts once per
    // poll instead of once per scattered row (hundreds of rows change every second at scale).
    const auto [first, last] = std::minmax_element(rows.begin(), rows.end());
    emit dataChanged(index(*first, 0), index(*last, ColumnCount - 1));
}
