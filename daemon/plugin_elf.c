/* Reading a plugin's ELF program headers; see plugin_elf.h.  Apart from
 * host.c because <elf.h> and <ev.h> both define EV_* names. */
#include "plugin_elf.h"

#include <elf.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

/* 1 when the shared object at path asks for an executable stack (its
 * PT_GNU_STACK has PF_X, or it has none, which glibc reads the same): the
 * unit's MemoryDenyWriteExecute= refuses such a library, and an
 * executable stack is what a stack overflow exploit wants.  0 when it
 * does not, -1 when path is no 64-bit ELF file (dlopen then says why). */
int plugin_elf_exec_stack(const char *path)
{
	Elf64_Ehdr eh;
	Elf64_Phdr ph;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK), found = 0, x = 0;

	if (fd < 0)
		return -1;
	if (pread(fd, &eh, sizeof eh, 0) != (ssize_t)sizeof eh ||
	    memcmp(eh.e_ident, ELFMAG, SELFMAG) || eh.e_ident[EI_CLASS] != ELFCLASS64 ||
	    eh.e_phentsize != sizeof ph) {
		close(fd);
		return -1;
	}
	for (unsigned i = 0; i < eh.e_phnum; i++) {
		if (pread(fd, &ph, sizeof ph, (off_t)(eh.e_phoff + i * sizeof ph)) !=
		    (ssize_t)sizeof ph)
			break;
		if (ph.p_type == PT_GNU_STACK) {
			found = 1;
			x = (ph.p_flags & PF_X) != 0;
		}
	}
	close(fd);
	return !found || x;
}

