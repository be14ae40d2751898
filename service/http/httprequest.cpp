#include "httprequest.h"

QByteArray HttpRequest::value(QByteArrayView name) const
{
    QByteArray out;
    bool found = false;
    for (const auto &h : headers) {
        if (h.first.size() == name.size() && QByteArrayView(h.first).compare(name, Qt::CaseInsensitive) == 0) {
            if (!found) {
                out = h.second; // shared, no copy: the usual single field costs no allocation
                found = true;
            } else {
                out += ", ";
                out += h.second;
            }
        }
    }
    return out;
}

bool HttpRequest::hasHeader(QByteArrayView name) const
{
    for (const auto &h : headers) {
        if (QByteArrayView(h.first).compare(name, Qt::CaseInsensitive) == 0)
            return true;
    }
    return false;
}

QByteArrayView HttpRequest::path() const
{
    const qsizetype q = target.indexOf('?');
    return q < 0 ? QByteArrayView(target) : QByteArrayView(target).first(q);
}

QByteArrayView HttpRequest::rawQuery() const
{
    const qsizetype q = target.indexOf('?');
    return q < 0 ? QByteArrayView() : QByteArrayView(target).sliced(q + 1);
}

QUrlQuery HttpRequest::query() const
{
    return QUrlQuery(QString::fromUtf8(rawQuery()));
}
