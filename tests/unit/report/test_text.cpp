// HTML/JSON escaping, number formatting, the JSON writer, and the SVG pictures' escaping.
#include <gtest/gtest.h>

#include <cmath>

#include "precis/model/metrics.hpp"
#include "precis/report/svg.hpp"
#include "precis/report/text.hpp"

using namespace precis::report;

TEST(html_escape, escapes_the_five_characters) {
    EXPECT_EQ(html("<script>alert(1)</script>"), "&lt;script&gt;alert(1)&lt;/script&gt;");
    EXPECT_EQ(html("a&b \"q\" 'x'"), "a&amp;b &quot;q&quot; &#39;x&#39;");
    EXPECT_EQ(html("BRCA2 c.68-7T>A"), "BRCA2 c.68-7T&gt;A");
}

TEST(json_escape, quotes_controls_and_html_characters) {
    EXPECT_EQ(json_string("a\"b\\c\n"), "\"a\\\"b\\\\c\\n\"");
    EXPECT_EQ(json_string("<script>&"), "\"\\u003cscript\\u003e\\u0026\"");
    EXPECT_EQ(json_string(std::string("\x01", 1)), "\"\\u0001\"");
}

TEST(json_escape, invalid_utf8_becomes_the_replacement_character) {
    EXPECT_EQ(json_string("P\xff\xfe" "01"), "\"P\xEF\xBF\xBD\xEF\xBF\xBD" "01\"");
    EXPECT_EQ(json_string("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80"), "\"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\"");  // kept
    EXPECT_EQ(json_string("\xc0\xaf"), "\"\xEF\xBF\xBD\xEF\xBF\xBD\"");  // overlong '/'
    EXPECT_EQ(json_string("\xed\xa0\x80"), "\"\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\"");  // a surrogate
    EXPECT_EQ(json_string("ab\xe2\x82"), "\"ab\xEF\xBF\xBD\xEF\xBF\xBD\"");  // cut short
    EXPECT_EQ(html("<\xff>"), "&lt;\xEF\xBF\xBD&gt;");
}

TEST(numbers, fixed_and_json) {
    EXPECT_EQ(fixed(0.12345, 2), "0.12");
    EXPECT_EQ(fixed(-0.001, 2), "0.00");
    EXPECT_EQ(fixed(NAN, 2), "n/a");
    EXPECT_EQ(json_number(NAN), "null");
    EXPECT_EQ(json_number(0.1), "0.1");
    EXPECT_EQ(json_number(12), "12");
}

TEST(json_writer, nests_and_separates) {
    json_writer j;
    j.begin_object().string("a", "x").begin_array("b").number("", 1).null("").end_array().begin_object("c").end_object().end_object();
    EXPECT_EQ(j.str(), "{\n  \"a\": \"x\",\n  \"b\": [\n    1,\n    null\n  ],\n  \"c\": {}\n}\n");
}

TEST(svg, labels_are_escaped) {
    auto s = histogram_svg({1, 2, 3}, {{2, "<b>x</b>"}}, "score & more");
    EXPECT_EQ(s.find("<b>"), std::string::npos);
    EXPECT_NE(s.find("&lt;b&gt;x&lt;/b&gt;"), std::string::npos);
    EXPECT_NE(s.find("score &amp; more"), std::string::npos);
    precis::model::variant_contribution c{"<chr>", 5, "A", 0.1, 1, 0.05};
    auto bars = contributions_svg({c});
    EXPECT_EQ(bars.find("<chr>"), std::string::npos);
}

TEST(risk_interval, wald_interval_on_the_logit_scale) {
    precis::model::recalibration r{0.5, 2.0, true, 0.04, 0.0, 0.0};
    auto ci = precis::model::calibrated_risk(r, 0.0);
    EXPECT_NEAR(ci.risk, 1 / (1 + std::exp(-0.5)), 1e-12);
    EXPECT_NEAR(ci.lower, 1 / (1 + std::exp(-(0.5 - 1.959963984540054 * 0.2))), 1e-12);
    EXPECT_NEAR(ci.upper, 1 / (1 + std::exp(-(0.5 + 1.959963984540054 * 0.2))), 1e-12);
    precis::model::recalibration unknown{0.5, 2.0, true};
    EXPECT_TRUE(std::isnan(precis::model::calibrated_risk(unknown, 1.0).lower));
}

TEST(risk_interval, fit_reports_a_positive_definite_covariance) {
    std::vector<double> eta, y;
    for (int i = 0; i < 400; ++i) {
        double e = -2 + 4.0 * i / 399;
        eta.push_back(e);
        y.push_back((i * 7919 % 100) < 100 / (1 + std::exp(-(0.3 + 0.8 * e))) ? 1 : 0);
    }
    auto r = precis::model::fit_recalibration(eta, y);
    ASSERT_TRUE(r.converged);
    EXPECT_GT(r.var_intercept, 0);
    EXPECT_GT(r.var_slope, 0);
    EXPECT_GT(r.var_intercept * r.var_slope - r.cov_intercept_slope * r.cov_intercept_slope, 0);
    EXPECT_LT(r.var_slope, 0.1);
}
