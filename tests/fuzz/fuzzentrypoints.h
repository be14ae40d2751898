#pragma once

#include <cstddef>
#include <cstdint>

// The fuzzed entry points, shared by the libFuzzer executables (fuzz_<target>.cpp) and the corpus
// replay test (tst_fuzzcorpus). Each takes arbitrary bytes, drives one parser the way the service
// does, and aborts (qFatal) when an invariant the rest of the service relies on is broken, so a
// logic error is found like a memory error. Single-threaded; each call is independent.
namespace FuzzEntryPoints {

// Creates the QCoreApplication every Sluice process has (libFuzzer's main does not); call once.
void initialize(int *argc, char ***argv);

// The config file of sluice-server (ServiceConfig::load via --config) and the same bytes, line by
// line, as environment values and as the ConfigParsing helpers' inputs.
void serviceConfig(const uint8_t *data, size_t size);
// Admin API bodies: EndpointLimitRule::fromJson (every default algorithm) and every AdminApi fromJson.
void adminJson(const uint8_t *data, size_t size);
// ClientResolver (X-Forwarded-For chains, X-Real-IP, Authorization / X-API-Key) and
// RuleTable::normalisePath + match on request targets. Lines: peer, forwarded-for, real-ip,
// authorization, api-key, target, rest.
void clientIdentity(const uint8_t *data, size_t size);
// Raw bytes of one HTTP/1.1 connection through HttpRequestParser, fed in slices whose sizes come
// from the first byte, so incremental parsing across every split point is exercised.
void httpParser(const uint8_t *data, size_t size);

} // namespace FuzzEntryPoints
