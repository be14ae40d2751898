#include "stattile.h"

#include <QEvent>
#include <QLabel>
#include <QPainter>
#include <QVBoxLayout>

StatTile::StatTile(const QString &objectName, QWidget *parent)
    : QFrame(parent)
    , m_caption(new QLabel(this))
    , m_value(new QLabel(QStringLiteral("–"), this))
    , m_detail(new QLabel(this))
{
    setObjectName(objectName);
    m_value->setObjectName(objectName + QStringLiteral("Value"));
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
    if (event->type() == QEvent::PaletteChange && !m_applying)
        applyPalette();
    QFrame::changeEvent(event);
}

void StatTile::paintEvent(QPaintEvent *)
{
    // Painted rather than styled: a style sheet would not follow a later palette change.
    QPainter painter(this);
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setPen(QPen(palette().color(QPalette::Mid), 1));
    painter.setBrush(palette().color(QPalette::Base));
    painter.drawRoundedRect(QRectF(rect()).adjusted(0.5, 0.5, -0.5, -0.5), 6, 6);
    if (m_valueColor.isValid()) {
        painter.setPen(Qt::NoPen);
        painter.setBrush(m_valueColor);
        painter.drawRoundedRect(QRectF(1, 8, 3, height() - 16), 1.5, 1.5);
    }
}

void StatTile::applyPalette()
{
    // Only the labels' palettes change here; they are children, so this never re-enters for this tile.
    m_applying = true;
    const QPalette p = palette();
    QPalette muted = p;
    muted.setColor(QPalette::WindowText, p.color(QPalette::PlaceholderText));
    m_caption->setPalette(muted);
    m_detail->setPalette(muted);
    QPalette value = p;
    value.setColor(QPalette::WindowText, m_valueColor.isValid() ? m_valueColor : p.color(QPalette::Text));
    m_value->setPalette(value);
    m_applying = false;
    update();
}
