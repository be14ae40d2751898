#pragma once

#include <QFrame>

class QLabel;

// A coloured strip above the dashboard that states the current problem (service unreachable, key
// rejected, Redis down) without blocking anything; it hides itself when the problem is gone.
class StatusBanner : public QFrame
{
    Q_OBJECT
public:
    enum class Level { None, Warning, Error };

    explicit StatusBanner(QWidget *parent = nullptr);

    void setMessage(Level level, const QString &text);
    Level level() const { return m_level; }
    QString text() const;

private:
    QLabel *m_icon;
    QLabel *m_text;
    Level m_level = Level::None;
};
