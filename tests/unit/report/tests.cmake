# precis report: escaping, JSON, pseudonyms and key checks, input readers, the risk interval, the Chromium time limit.
precis_unit_test(test_report SOURCES unit/report/test_text.cpp unit/report/test_privacy.cpp unit/report/test_inputs.cpp
  unit/report/test_chromium.cpp
  LIBS precis::report)
