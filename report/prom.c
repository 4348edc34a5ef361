/* placeholder replaced below */
#include "report/report.h"
void report_prom(FILE *out, const agg_summary *s, const report_options *o) { (void)out; (void)s; (void)o; }
