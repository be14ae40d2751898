#pragma once

#include "adminapi.h"

#include <QHash>
#include <QWidget>

class ConsoleController;
class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;
class QTableView;

// The endpoint limits page: the service's rules in a table and a form to add, change or remove one.
// Changes go through the admin API; when the service rejects a rule, its validation message is shown
// next to the field it names. Removal asks through the Confirmation seam.
class LimitsEditor : public QWidget
{
    Q_OBJECT
public:
    explicit LimitsEditor(ConsoleController *controller, QWidget *parent = nullptr);

    // The form's content as a rule (what Save sends).
    AdminApi::EndpointRule formRule() const;
    void editRule(const AdminApi::EndpointRule &rule);
    void retranslate();

signals:
    void historyRequested();

private:
    void newRule();
    void save();
    void removeSelected();
    void selectionChanged();
    void showRejection(const QString &endpoint, const QString &method, const AdminApi::Error &error);
    void clearErrors();
    void selectRule(const QString &endpoint, const QString &method);
    QLabel *errorLabel(const QString &objectName);

    ConsoleController *m_controller;
    QTableView *m_table;
    QLineEdit *m_endpoint;
    QComboBox *m_method;
    QSpinBox *m_requests;
    QSpinBox *m_window;
    QComboBox *m_algorithm;
    QSpinBox *m_burst;
    QHash<QString, QLabel *> m_errors; // field name as the API spells it -> label beside it
    QLabel *m_formError;
    QLabel *m_labels[6];
    QPushButton *m_new;
    QPushButton *m_save;
    QPushButton *m_remove;
    QPushButton *m_history;
    QString m_pendingEndpoint;
    QString m_pendingMethod;
};
