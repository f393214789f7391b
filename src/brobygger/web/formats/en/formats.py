"""English as it is read in Denmark: day before month (29/11/2026, 29 Nov 2026) and a
24-hour clock, not the United States' 11/29/2026 and 2:30 p.m., which a Danish reader
would misread. Dates typed into a form: ISO (2026-11-29) or day first."""

from django.conf.locale.en_GB.formats import (  # noqa: F401 - the rest as British English
    DECIMAL_SEPARATOR,
    FIRST_DAY_OF_WEEK,
    MONTH_DAY_FORMAT,
    NUMBER_GROUPING,
    THOUSAND_SEPARATOR,
    YEAR_MONTH_FORMAT,
)

DATE_FORMAT = "j M Y"  # 29 Nov 2026
TIME_FORMAT = "H:i"  # 14:30
DATETIME_FORMAT = "j M Y, H:i"
SHORT_DATE_FORMAT = "d/m/Y"  # 29/11/2026
SHORT_DATETIME_FORMAT = "d/m/Y H:i"
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d/%m/%y"]
DATETIME_INPUT_FORMATS = ["%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M:%S",
                          "%d/%m/%Y %H:%M"]
