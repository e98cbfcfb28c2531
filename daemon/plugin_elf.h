/*
 * What a plugin file asks of the process before it is loaded: an
 * executable stack would be refused by the unit's MemoryDenyWriteExecute=
 * with an obscure dlopen error, and is what a stack overflow exploit
 * wants, so the host refuses it first with what to do.
 */
#ifndef REHABD_PLUGIN_ELF_H
#define REHABD_PLUGIN_ELF_H

/* 1 when the 64-bit ELF shared object at path asks for an executable
 * stack (PT_GNU_STACK with PF_X, or no PT_GNU_STACK at all, which glibc
 * reads the same); 0 when it does not; -1 when path is no 64-bit ELF
 * file (dlopen then says why). */
int plugin_elf_exec_stack(const char *path);

#endif
