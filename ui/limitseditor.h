#pragma once

#include "adminapi.h"
#include "limitsmodel.h"

#include <QHash>
#include <QWidget>

class ConsoleController;
class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;
class QTableView;

// A limits editor: the service's endpoint rules, or its API-key limits (the API-key default and the
// per-key overrides; the subject of the model it edits), in a table and a form to add, change or
// remove one. Changes go through the admin API; when the service rejects one, its validation message
// is shown next to the field it names. Removal asks through the Confirmation seam.
class LimitsEditor : public QWidget
{
    Q_OBJECT
public:
    using Subject = LimitsModel::Subject;

    LimitsEditor(ConsoleController *controller, Subject subject, QWidget *parent = nullptr);

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
    LimitsModel *model() const;

    ConsoleController *m_controller;
    Subject m_subject;
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
