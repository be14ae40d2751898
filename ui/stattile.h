#pragma once

#include <QFrame>

class QLabel;

// One figure of the dashboard's top row: a caption, a large value and a small detail line.
class StatTile : public QFrame
{
    Q_OBJECT
public:
    explicit StatTile(const QString &objectName, QWidget *parent = nullptr);

    void setCaption(const QString &caption);
    void setValue(const QString &value, const QColor &color = {});
    void setDetail(const QString &detail);
    QString value() const;

protected:
    void changeEvent(QEvent *event) override;
    void paintEvent(QPaintEvent *event) override;

private:
    void applyPalette();

    QLabel *m_caption;
    QLabel *m_value;
    QLabel *m_detail;
    QColor m_valueColor;
    bool m_applying = false;
};
