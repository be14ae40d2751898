#pragma once

#include "adminapi.h"

#include <QDialog>

class AdminClient;
class QLabel;
class QTableWidget;

// Shows the service's configuration history (GET /admin/config/history): who changed which rule
// when, from what to what. Loads asynchronously when opened; the Refresh button loads again.
class HistoryDialog : public QDialog
{
    Q_OBJECT
public:
    explicit HistoryDialog(AdminClient *client, QWidget *parent = nullptr);

    void reload();
    int entryCount() const;

private:
    void showHistory(const QList<AdminApi::HistoryEntry> &history);

    AdminClient *m_client;
    QTableWidget *m_table;
    QLabel *m_status;
};
