#include "core/util/paths.h"

#include "tests/support/testsupport.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>

#include <gtest/gtest.h>

using namespace hubcap;

namespace {

void makeExecutable(const QString &path)
{
    test::writeFile(path, "#!/bin/sh\n");
    QFile::setPermissions(path, QFile::permissions(path) | QFile::ExeOwner);
}

} // namespace

TEST(Paths, HelperEnvVarNames)
{
    EXPECT_EQ(helperEnvVar(QStringLiteral("hubcap-pyhost")), QStringLiteral("HUBCAP_PYHOST"));
    EXPECT_EQ(helperEnvVar(QStringLiteral("hubcap-torchhost")), QStringLiteral("HUBCAP_TORCHHOST"));
    EXPECT_EQ(helperEnvVar(QStringLiteral("my-tool")), QStringLiteral("HUBCAP_MY_TOOL"));
}

TEST(Paths, HelperNextToExecutableWinsOverLibexec)
{
    QTemporaryDir root;
    makeExecutable(root.path() + QStringLiteral("/bin/hubcap-pyhost"));
    makeExecutable(root.path() + QStringLiteral("/lib/hubcap/hubcap-pyhost"));
    auto found = findHelper(QStringLiteral("hubcap-pyhost"), QProcessEnvironment(),
                            root.path() + QStringLiteral("/bin"));
    ASSERT_TRUE(found.has_value()) << found.error().text().toStdString();
    EXPECT_EQ(*found, root.path() + QStringLiteral("/bin/hubcap-pyhost"));
}

TEST(Paths, HelperInPrivateLibexecOfARelocatedTree)
{
    QTemporaryDir root;
    QDir().mkpath(root.path() + QStringLiteral("/usr/bin"));
    makeExecutable(root.path() + QStringLiteral("/usr/lib/hubcap/hubcap-torchhost"));
    auto found = findHelper(QStringLiteral("hubcap-torchhost"), QProcessEnvironment(),
                            root.path() + QStringLiteral("/usr/bin"));
    ASSERT_TRUE(found.has_value()) << found.error().text().toStdString();
    EXPECT_EQ(*found, root.path() + QStringLiteral("/usr/lib/hubcap/hubcap-torchhost"));
}

TEST(Paths, EnvironmentOverrideWinsAndIsChecked)
{
    QTemporaryDir root;
    makeExecutable(root.path() + QStringLiteral("/bin/hubcap-pyhost"));
    makeExecutable(root.path() + QStringLiteral("/elsewhere/pyhost"));
    QProcessEnvironment env;
    env.insert(QStringLiteral("HUBCAP_PYHOST"), root.path() + QStringLiteral("/elsewhere/pyhost"));
    auto found =
        findHelper(QStringLiteral("hubcap-pyhost"), env, root.path() + QStringLiteral("/bin"));
    ASSERT_TRUE(found.has_value());
    EXPECT_EQ(*found, root.path() + QStringLiteral("/elsewhere/pyhost"));

    env.insert(QStringLiteral("HUBCAP_PYHOST"), root.path() + QStringLiteral("/missing"));
    found = findHelper(QStringLiteral("hubcap-pyhost"), env, root.path() + QStringLiteral("/bin"));
    ASSERT_FALSE(found.has_value());
    EXPECT_TRUE(found.error().message.contains(QStringLiteral("HUBCAP_PYHOST")));
}

TEST(Paths, MissingHelperOutsideTheBuildTreeSaysWhereItLooked)
{
    QTemporaryDir root;
    auto found = findHelper(QStringLiteral("hubcap-pyhost"), QProcessEnvironment(),
                            root.path() + QStringLiteral("/usr/bin"));
    ASSERT_FALSE(found.has_value());
    EXPECT_EQ(found.error().code, Error::Code::NotFound);
    EXPECT_TRUE(found.error().details.contains(root.path() +
                                               QStringLiteral("/usr/lib/hubcap/hubcap-pyhost")));
}

TEST(Paths, DataDirInstalledTreeThenOverride)
{
    QTemporaryDir root;
    QDir().mkpath(root.path() + QStringLiteral("/usr/share/hubcap/demo-hub"));
    QDir().mkpath(root.path() + QStringLiteral("/usr/bin"));
    auto found = findDataDir(QStringLiteral("demo-hub"), QProcessEnvironment(),
                             root.path() + QStringLiteral("/usr/bin"));
    ASSERT_TRUE(found.has_value());
    EXPECT_EQ(*found, root.path() + QStringLiteral("/usr/share/hubcap/demo-hub"));

    QDir().mkpath(root.path() + QStringLiteral("/data/demo-hub"));
    QProcessEnvironment env;
    env.insert(QStringLiteral("HUBCAP_DATA_DIR"), root.path() + QStringLiteral("/data"));
    found = findDataDir(QStringLiteral("demo-hub"), env, root.path() + QStringLiteral("/usr/bin"));
    ASSERT_TRUE(found.has_value());
    EXPECT_EQ(*found, root.path() + QStringLiteral("/data/demo-hub"));

    EXPECT_FALSE(findDataDir(QStringLiteral("no-such-folder"), QProcessEnvironment(),
                             root.path() + QStringLiteral("/usr/bin"))
                     .has_value());
}

TEST(Paths, BuildTreeFallsBackToSourceResources)
{
    // Test executables run from <build>/tests: the source tree's resources/ is used.
    auto found = findDataDir(QStringLiteral("."), QProcessEnvironment(),
                             test::binDir() + QStringLiteral("/../tests"));
    ASSERT_TRUE(found.has_value()) << found.error().text().toStdString();
    EXPECT_EQ(*found, QDir::cleanPath(test::sourceDir() + QStringLiteral("/resources")));
}
