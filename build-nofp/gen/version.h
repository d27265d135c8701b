#define MICA_BUILD "mica 5e18a61-dirty gcc 12.2.0"
