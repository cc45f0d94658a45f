/* The tg-peer-builtin program (and its test variants: CMakeLists.txt, tg_builtin_peer). */
#include "tg-peer-builtin.h"

int main(int argc, char **argv) { return tg_peer_builtin_main(argc, argv); }
