// print_pdf with a Chromium that never finishes: it is killed with its child processes after the time
// limit, the error names the page, and no PDF appears.
#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "precis/core/error.hpp"
#include "precis/report/chromium.hpp"

namespace fs = std::filesystem;

TEST(Chromium, HungChromiumIsKilledWithItsChildren) {
    const fs::path dir = fs::temp_directory_path() / ("precis_test_chromium_" + std::to_string(::getpid()));
    fs::create_directories(dir);
    const fs::path fake = dir / "chromium", child_pid = dir / "child.pid", html = dir / "page.html", pdf = dir / "page.pdf";
    {
        std::ofstream f(fake);
        f << "#!/bin/sh\nsleep 1000 &\necho $! > " << child_pid.string() << "\nwait\n";
    }
    fs::permissions(fake, fs::perms::owner_all);
    std::ofstream(html) << "<html></html>";
    try {
        precis::report::print_pdf(fake, html, pdf, 1);
        ADD_FAILURE() << "no error from a Chromium that never finishes";
    } catch (const precis::runtime_failure& e) {
        EXPECT_NE(std::string(e.what()).find("no PDF of " + html.string() + " after 1 s"), std::string::npos) << e.what();
    }
    EXPECT_FALSE(fs::exists(pdf));
    pid_t child = 0;
    std::ifstream(child_pid) >> child;
    ASSERT_GT(child, 0);
    for (int i = 0; i < 100 && ::kill(child, 0) == 0; ++i) ::usleep(20000);  // reaped by init once killed
    EXPECT_NE(::kill(child, 0), 0) << "Chromium's child process " << child << " outlived the time limit";
    fs::remove_all(dir);
}
