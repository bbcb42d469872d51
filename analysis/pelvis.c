#include "analysis/pelvis.h"
