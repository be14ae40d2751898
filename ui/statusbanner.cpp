#include "statusbanner.h"

#include <QHBoxLayout>
#include <QIcon>
#include <QLabel>

StatusBanner::StatusBanner(QWidget *parent)
    : QFrame(parent)
    , m_icon(new QLabel(this))
    , m_text(new QLabel(this))
{
    setObjectName(QStringLiteral("statusBanner"));
    m_text->setObjectName(QStringLiteral("statusBannerText"));
    m_text->setWordWrap(true);
    m_text->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(12, 8, 12, 8);
    layout->addWidget(m_icon);
    layout->addWidget(m_text, 1);
    setVisible(false);
}

void StatusBanner::setMessage(Level level, const QString &text)
{
    m_level = level;
    m_text->setText(text);
    // Fixed colours chosen to keep contrast on both light and dark palettes.
    QString background, border, icon;
    switch (level) {
    case Level::None:
        setVisible(false);
        return;
    case Level::Warning:
        background = QStringLiteral("#b26a00"); border = QStringLiteral("#8a5200"); icon = QStringLiteral(":/icons/warning.svg");
        break;
    case Level::Error:
        background = QStringLiteral("#b71c1c"); border = QStringLiteral("#7f0000"); icon = QStringLiteral(":/icons/error.svg");
        break;
    }
    setStyleSheet(QStringLiteral("#statusBanner { background: %1; border: 1px solid %2; border-radius: 6px; }"
                                 "#statusBanner QLabel { color: white; font-weight: 600; }")
                      .arg(background, border));
    m_icon->setPixmap(QIcon(icon).pixmap(20, 20));
    setVisible(true);
}

QString StatusBanner::text() const
{
    return m_text->text();
}
