#include "stattile.h"

#include <QEvent>
#include <QLabel>
#include <QVBoxLayout>

StatTile::StatTile(const QString &objectName, QWidget *parent)
    : QFrame(parent)
    , m_caption(new QLabel(this))
    , m_value(new QLabel(QStringLiteral("–"), this))
    , m_detail(new QLabel(this))
{
    setObjectName(objectName);
    m_value->setObjectName(objectName + QStringLiteral("Value"));
    setFrameShape(QFrame::StyledPanel);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(12, 8, 12, 8);
    layout->setSpacing(2);
    layout->addWidget(m_caption);
    layout->addWidget(m_value);
    layout->addWidget(m_detail);
    QFont big = m_value->font();
    big.setPointSizeF(big.pointSizeF() * 1.6);
    big.setBold(true);
    m_value->setFont(big);
    QFont small = m_caption->font();
    small.setPointSizeF(small.pointSizeF() * 0.9);
    m_caption->setFont(small);
    m_detail->setFont(small);
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
    applyPalette();
}

void StatTile::setCaption(const QString &caption)
{
    m_caption->setText(caption.toUpper());
}

void StatTile::setValue(const QString &value, const QColor &color)
{
    m_value->setText(value);
    if (color != m_valueColor) {
        m_valueColor = color;
        applyPalette();
    }
}

void StatTile::setDetail(const QString &detail)
{
    m_detail->setText(detail);
}

QString StatTile::value() const
{
    return m_value->text();
}

void StatTile::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::PaletteChange)
        applyPalette();
    QFrame::changeEvent(event);
}

void StatTile::applyPalette()
{
    const QPalette p = palette();
    const QColor muted = p.color(QPalette::PlaceholderText);
    setStyleSheet(QStringLiteral("StatTile { background: %1; border: 1px solid %2; border-radius: 6px; }")
                      .arg(p.color(QPalette::Base).name(), p.color(QPalette::Mid).name()));
    m_caption->setStyleSheet(QStringLiteral("color: %1; letter-spacing: 1px;").arg(muted.name()));
    m_detail->setStyleSheet(QStringLiteral("color: %1;").arg(muted.name()));
    m_value->setStyleSheet(m_valueColor.isValid() ? QStringLiteral("color: %1;").arg(m_valueColor.name())
                                                  : QStringLiteral("color: %1;").arg(p.color(QPalette::Text).name()));
}
