#include "ui/guiapp.h"

int main(int argc, char **argv)
{
    return hubcap::ui::runGuiApp(argc, argv);
}
