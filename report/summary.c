typedef int fc_report_placeholder;
