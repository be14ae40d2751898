#pragma once

#include "adminapi.h"

#include <QAbstractTableModel>
#include <QHash>

// Table of the tracked keys the console currently shows (the service's top-N by usage).
// update() applies a poll incrementally: rows are matched by key, changed rows get dataChanged,
// vanished keys are removed and new keys appended, so views keep selection, scroll position and
// sort order instead of being reset every second. No Widgets. GUI thread only.
class KeyUsageModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { KeyColumn, StrategyColumn, ClientColumn, EndpointColumn, CountColumn, LimitColumn,
                  UsageColumn, WindowColumn, ResetColumn, ColumnCount };
    enum Role {
        SortRole = Qt::UserRole + 1, // raw value for sorting (numbers as numbers)
        UsageRole,                   // double in [0, 1+] for the usage bar
        KeyRole,                     // the full storage key, whatever the column
    };

    explicit KeyUsageModel(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    // `nowSeconds` is the service's clock (stats.last_update) so countdowns ignore local clock skew.
    void update(const QList<AdminApi::CurrentRate> &rates, qint64 nowSeconds);
    // Drops one key at once (after the service confirmed a clear) without waiting for the next poll.
    void removeKey(const QString &key);
    void clear();

    int rowOfKey(const QString &key) const { return m_index.value(key, -1); }
    const AdminApi::CurrentRate &rate(int row) const { return m_rows.at(row); }

private:
    void removeRows(QList<int> rows);
    void rebuildIndex();
    void emitChangedRanges(const QList<int> &rows);

    QList<AdminApi::CurrentRate> m_rows;
    QHash<QString, int> m_index;
    qint64 m_nowSeconds = 0;
};
