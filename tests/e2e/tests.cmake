precis_e2e_test(cli e2e/cli.sh)
precis_e2e_test(bad_input e2e/bad_input.sh)
precis_e2e_test(simulate_convert_export e2e/simulate_convert_export.sh)
precis_e2e_test(train_score e2e/train_score.sh)
