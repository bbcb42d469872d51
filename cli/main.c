#include <stdio.h>
int main(void) { puts("formcheck"); return 0; }
