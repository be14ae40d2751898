// libFuzzer target: FuzzEntryPoints::adminJson (see fuzzentrypoints.h). Run by scripts/fuzz.sh.
#include "fuzzentrypoints.h"

extern "C" int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    FuzzEntryPoints::initialize(argc, argv);
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    FuzzEntryPoints::adminJson(data, size);
    return 0;
}
