#include "views/sequence_layout.h"
