#include "core/util/format.h"

#include "tests/support/testsupport.h"

TEST(Format, HumanSizes)
{
    EXPECT_EQ(hubcap::humanSize(0), u"0 B");
    EXPECT_EQ(hubcap::humanSize(1023), u"1023 B");
    EXPECT_EQ(hubcap::humanSize(1024), u"1.00 KiB");
    EXPECT_EQ(hubcap::humanSize(1536 * 1024), u"1.50 MiB");
    EXPECT_EQ(hubcap::humanSize(qint64(300) * 1024 * 1024 * 1024), u"300 GiB");
}

TEST(Format, Durations)
{
    EXPECT_EQ(hubcap::humanDuration(5), u"5 s");
    EXPECT_EQ(hubcap::humanDuration(125), u"2 min 05 s");
    EXPECT_EQ(hubcap::humanDuration(3720), u"1 h 02 min");
}
