// GoogleTest entry for the unit suites. SystemC's library owns main() and calls sc_main, so the suites
// run inside an elaborated SystemC context and may build modules (the walker, devices).
#include <gtest/gtest.h>

#include <systemc>

int sc_main(int argc, char** argv) {
  testing::InitGoogleTest(&argc, argv);
  return RUN_ALL_TESTS();
}
