#include "eventsmodel.h"

#include <QBrush>
#include <QColor>
#include <QIcon>

EventsModel::EventsModel(qsizetype capacity, QObject *parent)
    : QAbstractTableModel(parent)
    , m_capacity(std::max<qsizetype>(capacity, 1))
{
}

int EventsModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_events.size());
}

int EventsModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant EventsModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Event &e = m_events.at(index.row());
    if (role == SeverityRole)
        return int(e.severity);
    if (role == Qt::DisplayRole) {
        switch (index.column()) {
        case TimeColumn: return e.time.toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
        case SeverityColumn:
            switch (e.severity) {
            case Severity::Info: return tr("Info");
            case Severity::Warning: return tr("Warning");
            case Severity::Error: return tr("Error");
            }
            break;
        case MessageColumn: return e.message;
        default: break;
        }
    }
    if (role == Qt::DecorationRole && index.column() == SeverityColumn) {
        switch (e.severity) {
        case Severity::Info: return QIcon(QStringLiteral(":/icons/info.svg"));
        case Severity::Warning: return QIcon(QStringLiteral(":/icons/warning.svg"));
        case Severity::Error: return QIcon(QStringLiteral(":/icons/error.svg"));
        }
    }
    if (role == Qt::ForegroundRole && index.column() == SeverityColumn) {
        switch (e.severity) {
        case Severity::Info: return {};
        case Severity::Warning: return QBrush(QColor(0xe6, 0x8a, 0x00));
        case Severity::Error: return QBrush(QColor(0xd3, 0x2f, 0x2f));
        }
    }
    return {};
}

QVariant EventsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case TimeColumn: return tr("Time");
    case SeverityColumn: return tr("Severity");
    case MessageColumn: return tr("Event");
    default: return {};
    }
}

void EventsModel::add(Severity severity, const QString &message, const QDateTime &time)
{
    if (m_events.size() == m_capacity) {
        const int last = int(m_events.size()) - 1;
        beginRemoveRows({}, last, last);
        m_events.removeLast();
        endRemoveRows();
    }
    beginInsertRows({}, 0, 0);
    m_events.prepend(Event{time, severity, message});
    endInsertRows();
}
