#include "app/cli/cli.h"

int main(int argc, char **argv)
{
    return hubcap::cli::main(argc, argv);
}
