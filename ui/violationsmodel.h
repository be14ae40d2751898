#pragma once

#include "adminapi.h"

#include <QAbstractTableModel>

// The service's recent rate-limit violations (429s), newest first, bounded to `capacity` rows.
// update() merges one answer of GET /admin/rate-limit/violations: it finds where the answer overlaps
// the rows already shown and inserts only the violations in front of that overlap, then drops the
// oldest rows beyond the capacity; rows are never rewritten, so views keep selection and scroll
// position and a sorting proxy sorts only the new rows in. No Widgets. GUI thread only.
class ViolationsModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { TimeColumn, ClientColumn, RuleColumn, KeyColumn, LimitColumn, RetryAfterColumn, ColumnCount };
    enum Role { SortRole = Qt::UserRole + 1 }; // raw value for sorting (times and numbers as numbers)

    explicit ViolationsModel(qsizetype capacity = 1000, QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    // `recent`: newest first, as the service lists them; `total`: the service's count since it started.
    // Returns the number of rows added.
    qsizetype update(const QList<AdminApi::Violation> &recent, qint64 total);
    void clear();

    qint64 total() const { return m_total; }
    // Violations the console never received: more arrived between two refreshes than one answer holds.
    qint64 missed() const { return m_missed; }
    const AdminApi::Violation &violation(int row) const { return m_rows.at(row); }

private:
    qsizetype newEntries(const QList<AdminApi::Violation> &recent) const;

    QList<AdminApi::Violation> m_rows; // newest first
    qsizetype m_capacity;
    qint64 m_total = 0;
    qint64 m_missed = 0;
};
