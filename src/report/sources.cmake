# precis report: per-patient HTML/PDF/JSON risk reports and a cohort summary (issue #7).
precis_module(report
  SOURCES report/inputs.cpp report/text.cpp report/privacy.cpp report/chromium.cpp report/svg.cpp
          report/page.cpp report/render_patient.cpp report/render_cohort.cpp report/report.cpp
  DEPS precis::core precis::mpi precis::h5 precis::model)
list(APPEND PRECIS_CLI_SOURCES cli/report.cpp)
