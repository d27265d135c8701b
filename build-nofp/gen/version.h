#define MICA_BUILD "mica b68b6f4-dirty gcc 12.2.0"
