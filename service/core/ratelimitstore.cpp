#include "ratelimitstore.h"

QByteArray storeModeName(StoreMode mode)
{
    switch (mode) {
    case StoreMode::Redis:
        return QByteArrayLiteral("redis");
    case StoreMode::MemoryFallback:
        return QByteArrayLiteral("memory-fallback");
    case StoreMode::Memory:
        return QByteArrayLiteral("memory");
    }
    Q_UNREACHABLE();
}
