#pragma once

#include <QByteArray>
#include <QList>
#include <QtGlobal>

// An owned copy of one Redis reply (RESP2), for RedisRateLimitStore::command(). Plain value type,
// safe to keep and pass between threads. NoReply means the command got no answer at all: Redis was
// not connected, the reply did not come within the command timeout, or the connection dropped while
// the command was in flight. In the last two cases Redis may or may not have executed it.
struct RedisReplyValue
{
    enum class Type { Nil, Status, Integer, String, Array, Error, NoReply };

    Type type = Type::Nil;
    qint64 integer = 0;
    QByteArray string;              // Status, String, Error: the text; NoReply: why there is no reply
    QList<RedisReplyValue> elements; // Array

    bool isError() const { return type == Type::Error || type == Type::NoReply; }
    bool isNil() const { return type == Type::Nil; }

    static RedisReplyValue noReply(const QByteArray &why)
    {
        RedisReplyValue v;
        v.type = Type::NoReply;
        v.string = why;
        return v;
    }
    static RedisReplyValue error(const QByteArray &message)
    {
        RedisReplyValue v;
        v.type = Type::Error;
        v.string = message;
        return v;
    }
};
