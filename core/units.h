/* formcheck: angle units. Strict C17 has no M_PI. */
#ifndef FC_CORE_UNITS_H
#define FC_CORE_UNITS_H

#define FC_PI 3.14159265358979323846
#define FC_DEG_PER_RAD (180.0 / FC_PI)
#define FC_RAD_PER_DEG (FC_PI / 180.0)

#endif
