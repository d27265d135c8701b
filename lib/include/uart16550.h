/* The 16550 UART's registers (offsets from its base port) and the bits
 * Mica uses: the kernel console and the user-level serial driver. */
#pragma once

#define UART_COM1 0x3f8
#define UART_COM1_ISA_IRQ 4

#define UART_DATA 0 /* receive buffer / transmit holding; divisor low with DLAB */
#define UART_IER 1  /* interrupt enable; divisor high with DLAB */
#define UART_IIR 2  /* interrupt identification (read) */
#define UART_FCR 2  /* FIFO control (write) */
#define UART_LCR 3
#define UART_MCR 4
#define UART_LSR 5

#define UART_IER_RX 0x01   /* received data available */
#define UART_LCR_DLAB 0x80 /* divisor latch access */
#define UART_LCR_8N1 0x03
#define UART_FCR_ENABLE 0xc7	   /* FIFOs on and cleared, 14-byte trigger */
#define UART_MCR_DTR_RTS_OUT2 0x0b /* OUT2 gates the interrupt on PCs */
#define UART_MCR_LOOP 0x10	   /* transmitted bytes come back as received */
#define UART_LSR_RX_READY 0x01
#define UART_LSR_TX_EMPTY 0x20
