#include "core/hosts/pyhost/server/pyhostmain.h"

int main(int argc, char **argv)
{
    return hubcap::pyhost::runHost(argc, argv);
}
