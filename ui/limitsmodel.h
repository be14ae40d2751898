#pragma once

#include "adminapi.h"

#include <QAbstractTableModel>

// The endpoint rules of the service (GET /admin/config) as a table, plus the console-side state of
// each row: a change being sent, or the service's rejection message. Rules are matched by
// (endpoint, method), so refreshing from the service keeps rows in place. The same table serves the
// API-key limits (Subject::ApiKeys): a row's `endpoint` is then the key id ("default" for the
// API-key default) and its method is empty. No Widgets. GUI thread only.
class LimitsModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { EndpointColumn, MethodColumn, RequestsColumn, WindowColumn, AlgorithmColumn, BurstColumn,
                  StatusColumn, ColumnCount };
    enum class RowState { Stored, Saving, Rejected };
    enum class Subject { Endpoints, ApiKeys };

    explicit LimitsModel(Subject subject = Subject::Endpoints, QObject *parent = nullptr);
    Subject subject() const { return m_subject; }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    // Replaces the rules with the service's list; rows keep their place when their rule still exists.
    // Rows with a change in flight or a rejected change are left alone: the operator's edit is not
    // overwritten by a config snapshot that predates it.
    void setRules(const QList<AdminApi::EndpointRule> &rules);
    // Marks a rule as being sent (adds the row when it is new).
    void markSaving(const AdminApi::EndpointRule &rule);
    void markRejected(const QString &endpoint, const QString &method, const QString &message);
    // The service accepted the change; the next setRules() brings the stored values.
    void markStored(const QString &endpoint, const QString &method);
    void removeRule(const QString &endpoint, const QString &method);

    int rowOf(const QString &endpoint, const QString &method) const;
    const AdminApi::EndpointRule &rule(int row) const { return m_rows.at(row).rule; }
    RowState rowState(int row) const { return m_rows.at(row).state; }
    QList<AdminApi::EndpointRule> rules() const;

    static QString algorithmLabel(const QString &algorithm);

private:
    struct Row
    {
        AdminApi::EndpointRule rule;
        RowState state = RowState::Stored;
        QString message;
    };
    Subject m_subject;
    QList<Row> m_rows;
};
