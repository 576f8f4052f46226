// hubcap-torchhost: JSON lines on stdin/stdout; see core/hosts/torchhost/server/torchhost.h.
#include "core/hosts/torchhost/server/torchhost.h"

#include <iostream>

int main()
{
    std::ios::sync_with_stdio(false);
    return hubcap::torchhost::serve(std::cin, std::cout);
}
