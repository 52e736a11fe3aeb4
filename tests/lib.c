// SPDX-License-Identifier: GPL-2.0
/*
 * lib.c - helpers shared by gem_userptr_blits, vi915_negctl and vi915_demo.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <linux/sync_file.h>

#include "lib.h"

double vi_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* ---- ioctl ----------------------------------------------------------- */

int drm_ioctl(int fd, unsigned long request, void *arg)
{
	int ret;

	do {
		ret = ioctl(fd, request, arg);
		/*
		 * EAGAIN is how the 2017 userptr get_pages says "a gup worker is
		 * in flight, come back later"; libdrm just spins.  Yield so a
		 * worker on a single (emulated) CPU gets to run.
		 */
		if (ret == -1 && errno == EAGAIN)
			sched_yield();
	} while (ret == -1 && (errno == EINTR || errno == EAGAIN));
	return ret;
}

int drm_ioctl_err(int fd, unsigned long request, void *arg)
{
	if (drm_ioctl(fd, request, arg))
		return -errno;
	return 0;
}

/* ---- device ---------------------------------------------------------- */

int __getparam(int fd, int param, int *value)
{
	struct drm_i915_getparam gp = { .param = param, .value = value };

	return drm_ioctl_err(fd, DRM_IOCTL_I915_GETPARAM, &gp);
}

bool is_i915_device(int fd)
{
	struct drm_version v;
	char name[5] = "";

	/* As IGT: fetch only the first 4 bytes of the name. */
	memset(&v, 0, sizeof(v));
	v.name_len = 4;
	v.name = name;
	if (drm_ioctl(fd, DRM_IOCTL_VERSION, &v))
		return false;
	name[4] = '\0';
	return strcmp(name, "i915") == 0 && v.name_len == 4;
}

int drm_open_i915(char *why, size_t why_len)
{
	size_t off = 0;
	int found_nodes = 0;

	if (why && why_len)
		why[0] = '\0';
#define WHY(...) do { \
		if (why && off < why_len) \
			off += snprintf(why + off, why_len - off, __VA_ARGS__); \
	} while (0)

	for (int i = 0; i < 16; i++) {
		char path[64];
		int fd, devid = 0, ret;

		snprintf(path, sizeof(path), "/dev/dri/card%d", i);
		fd = open(path, O_RDWR | O_CLOEXEC);
		if (fd < 0) {
			if (errno != ENOENT)
				WHY("%s: open: %s; ", path, strerror(errno));
			continue;
		}
		found_nodes++;
		if (!is_i915_device(fd)) {
			WHY("%s: DRM_IOCTL_VERSION name is not \"i915\"; ", path);
			close(fd);
			continue;
		}
		ret = __getparam(fd, I915_PARAM_CHIPSET_ID, &devid);
		if (ret) {
			WHY("%s: GETPARAM(CHIPSET_ID): %s; ", path, strerror(-ret));
			close(fd);
			continue;
		}
		return fd;
	}
	if (!found_nodes)
		WHY("no /dev/dri/card0..15 node exists (is the vi915 module loaded? is devtmpfs mounted?)");
#undef WHY
	return -ENODEV;
}

/* ---- GEM ------------------------------------------------------------- */

int __gem_userptr(int fd, void *ptr, uint64_t size, uint32_t flags, uint32_t *handle)
{
	struct drm_i915_gem_userptr arg = {
		.user_ptr = (uintptr_t)ptr,
		.user_size = size,
		.flags = flags,
	};
	int ret = drm_ioctl_err(fd, DRM_IOCTL_I915_GEM_USERPTR, &arg);

	if (ret == 0 && arg.handle == 0)
		ret = -EPROTO;	/* "handle: out, nonzero" */
	if (handle)
		*handle = ret ? 0 : arg.handle;
	return ret;
}

int __gem_close(int fd, uint32_t handle)
{
	struct drm_gem_close arg = { .handle = handle };

	return drm_ioctl_err(fd, DRM_IOCTL_GEM_CLOSE, &arg);
}

int __gem_set_domain(int fd, uint32_t handle, uint32_t read, uint32_t write)
{
	struct drm_i915_gem_set_domain arg = {
		.handle = handle, .read_domains = read, .write_domain = write,
	};

	return drm_ioctl_err(fd, DRM_IOCTL_I915_GEM_SET_DOMAIN, &arg);
}

int __gem_create(int fd, uint64_t size, uint32_t *handle)
{
	struct drm_i915_gem_create arg = { .size = size };
	int ret = drm_ioctl_err(fd, DRM_IOCTL_I915_GEM_CREATE, &arg);

	*handle = ret ? 0 : arg.handle;
	return ret;
}

int __gem_mmap_gtt_offset(int fd, uint32_t handle, uint64_t *offset)
{
	struct drm_i915_gem_mmap_gtt arg = { .handle = handle };
	int ret = drm_ioctl_err(fd, DRM_IOCTL_I915_GEM_MMAP_GTT, &arg);

	*offset = ret ? 0 : arg.offset;
	return ret;
}

void *__gem_mmap_gtt(int fd, uint32_t handle, uint64_t size, int prot)
{
	uint64_t offset;
	void *ptr;
	int ret = __gem_mmap_gtt_offset(fd, handle, &offset);

	if (ret) {
		errno = -ret;
		return NULL;
	}
	ptr = mmap(NULL, size, prot, MAP_SHARED, fd, offset);
	return ptr == MAP_FAILED ? NULL : ptr;
}

int __gem_set_tiling(int fd, uint32_t handle, uint32_t tiling, uint32_t stride)
{
	struct drm_i915_gem_set_tiling arg = {
		.handle = handle, .tiling_mode = tiling, .stride = stride,
	};
	int ret = drm_ioctl_err(fd, DRM_IOCTL_I915_GEM_SET_TILING, &arg);

	/* IGT's gem_set_tiling asserts that the mode stuck. */
	if (ret == 0 && arg.tiling_mode != tiling)
		ret = -EPROTO;
	return ret;
}

int __gem_pread(int fd, uint32_t handle, uint64_t offset, void *buf, uint64_t size)
{
	struct drm_i915_gem_pread arg = {
		.handle = handle, .offset = offset, .size = size,
		.data_ptr = (uintptr_t)buf,
	};

	return drm_ioctl_err(fd, DRM_IOCTL_I915_GEM_PREAD, &arg);
}

int __gem_pwrite(int fd, uint32_t handle, uint64_t offset, const void *buf, uint64_t size)
{
	struct drm_i915_gem_pwrite arg = {
		.handle = handle, .offset = offset, .size = size,
		.data_ptr = (uintptr_t)buf,
	};

	return drm_ioctl_err(fd, DRM_IOCTL_I915_GEM_PWRITE, &arg);
}

int __prime_handle_to_fd(int fd, uint32_t handle, uint32_t flags, int *dmabuf)
{
	struct drm_prime_handle arg = { .handle = handle, .flags = flags, .fd = -1 };
	int ret = drm_ioctl_err(fd, DRM_IOCTL_PRIME_HANDLE_TO_FD, &arg);

	*dmabuf = ret ? -1 : arg.fd;
	return ret;
}

int __prime_fd_to_handle(int fd, int dmabuf, uint32_t *handle)
{
	struct drm_prime_handle arg = { .fd = dmabuf };
	int ret = drm_ioctl_err(fd, DRM_IOCTL_PRIME_FD_TO_HANDLE, &arg);

	*handle = ret ? 0 : arg.handle;
	return ret;
}

int __gem_flink(int fd, uint32_t handle, uint32_t *name)
{
	struct drm_gem_flink arg = { .handle = handle };
	int ret = drm_ioctl_err(fd, DRM_IOCTL_GEM_FLINK, &arg);

	*name = ret ? 0 : arg.name;
	return ret;
}

int __gem_open(int fd, uint32_t name, uint32_t *handle)
{
	struct drm_gem_open arg = { .name = name };
	int ret = drm_ioctl_err(fd, DRM_IOCTL_GEM_OPEN, &arg);

	*handle = ret ? 0 : arg.handle;
	return ret;
}

/* ---- execution -------------------------------------------------------- */

int __gem_execbuf(int fd, struct drm_i915_gem_execbuffer2 *eb)
{
	return drm_ioctl_err(fd, DRM_IOCTL_I915_GEM_EXECBUFFER2, eb);
}

int __gem_execbuf_fenced(int fd, struct drm_i915_gem_execbuffer2 *eb, int *fence)
{
	int ret;

	eb->flags |= I915_EXEC_FENCE_OUT;
	ret = drm_ioctl_err(fd, DRM_IOCTL_I915_GEM_EXECBUFFER2_WR, eb);
	if (!ret)
		*fence = (int)(eb->rsvd2 >> 32);
	return ret;
}

int vi_fence_status(int f, int ms)
{
	struct pollfd p = { .fd = f, .events = POLLIN };
	struct sync_file_info info;

	(void)poll(&p, 1, ms);
	memset(&info, 0, sizeof(info));
	if (ioctl(f, SYNC_IOC_FILE_INFO, &info))
		return -errno;
	return info.status;
}

int __gem_wait(int fd, uint32_t handle, int64_t *timeout_ns)
{
	struct drm_i915_gem_wait arg = {
		.bo_handle = handle,
		.timeout_ns = timeout_ns ? *timeout_ns : -1,
	};
	int ret = drm_ioctl_err(fd, DRM_IOCTL_I915_GEM_WAIT, &arg);

	if (timeout_ns)
		*timeout_ns = arg.timeout_ns;
	return ret;
}

int __gem_busy(int fd, uint32_t handle, uint32_t *busy)
{
	struct drm_i915_gem_busy arg = { .handle = handle };
	int ret = drm_ioctl_err(fd, DRM_IOCTL_I915_GEM_BUSY, &arg);

	if (busy)
		*busy = ret ? 0 : arg.busy;
	return ret;
}

uint64_t vi_surface_offset(enum vi_tiling tiling, uint32_t pitch, uint32_t xb, uint32_t y)
{
	uint64_t tile;

	switch (tiling) {
	case VI_TILE_X:		/* 512 x 8, rows of 512 bytes */
		tile = (uint64_t)(y / 8) * (pitch / 512) + xb / 512;
		return tile * 4096 + (y % 8) * 512 + xb % 512;
	case VI_TILE_Y:		/* 128 x 32, as 8 columns of 16 bytes x 32 rows */
		tile = (uint64_t)(y / 32) * (pitch / 128) + xb / 128;
		return tile * 4096 + (xb % 128) / 16 * 512 + (y % 32) * 16 + xb % 16;
	case VI_LINEAR:
	default:
		return (uint64_t)y * pitch + xb;
	}
}

static uint32_t blit_pitch(const struct vi_surface *s)
{
	return s->tiling == VI_LINEAR ? s->pitch : s->pitch / 4;
}

unsigned int vi_emit_blit(uint32_t *cs, uint32_t cs_offset, const struct vi_blit *b,
			  struct drm_i915_gem_relocation_entry *relocs)
{
	unsigned int i = 0;
	uint32_t depth;

	if (b->fast) {
		switch (b->cpp) {
		case 1: depth = 0; break;
		case 2: depth = 1; break;
		case 8: depth = 4; break;
		case 16: depth = 5; break;
		default: depth = 3; break;
		}
		cs[i++] = XY_FAST_COPY_BLT | (10 - 2) |
			  XY_FAST_COPY_SRC_TILING(b->src.tiling) |
			  XY_FAST_COPY_DST_TILING(b->dst.tiling);
		cs[i++] = depth << 24 | blit_pitch(&b->dst);
	} else {
		depth = b->cpp == 1 ? 0 : b->cpp == 2 ? 1 : 3;
		cs[i++] = XY_SRC_COPY_BLT_CMD | (10 - 2) |
			  (b->cpp == 4 ? XY_SRC_COPY_BLT_WRITE_ALPHA | XY_SRC_COPY_BLT_WRITE_RGB : 0) |
			  (b->src.tiling != VI_LINEAR ? XY_SRC_COPY_BLT_SRC_TILED : 0) |
			  (b->dst.tiling != VI_LINEAR ? XY_SRC_COPY_BLT_DST_TILED : 0);
		cs[i++] = depth << 24 | (b->rop ? b->rop : 0xcc) << 16 | blit_pitch(&b->dst);
	}
	cs[i++] = (uint32_t)b->dst.y << 16 | (uint32_t)b->dst.x;
	cs[i++] = (uint32_t)(b->dst.y + b->height) << 16 | (uint32_t)(b->dst.x + b->width);
	relocs[0] = (struct drm_i915_gem_relocation_entry) {
		.target_handle = b->dst.handle,
		.delta = b->dst.delta,
		.offset = cs_offset + 4 * i,
		.read_domains = I915_GEM_DOMAIN_RENDER,
		.write_domain = I915_GEM_DOMAIN_RENDER,
	};
	cs[i++] = b->dst.delta;		/* presumed address 0 + delta */
	cs[i++] = 0;
	cs[i++] = (uint32_t)b->src.y << 16 | (uint32_t)b->src.x;
	cs[i++] = blit_pitch(&b->src);
	relocs[1] = (struct drm_i915_gem_relocation_entry) {
		.target_handle = b->src.handle,
		.delta = b->src.delta,
		.offset = cs_offset + 4 * i,
		.read_domains = I915_GEM_DOMAIN_RENDER,
	};
	cs[i++] = b->src.delta;
	cs[i++] = 0;
	return i;
}

int vi_blit(int fd, const struct vi_blit *b)
{
	struct drm_i915_gem_relocation_entry relocs[2];
	struct drm_i915_gem_exec_object2 stack_obj[3], *obj = stack_obj;
	struct drm_i915_gem_execbuffer2 eb;
	uint32_t batch[16], handle;
	unsigned int n = 0, count;
	int ret;

	memset(batch, 0, sizeof(batch));
	n = vi_emit_blit(batch, 0, b, relocs);
	batch[n++] = MI_BATCH_BUFFER_END;
	batch[n++] = MI_NOOP;

	ret = __gem_create(fd, 4096, &handle);
	if (ret)
		return ret;
	ret = __gem_pwrite(fd, handle, 0, batch, n * sizeof(batch[0]));
	if (ret)
		goto out;

	count = b->objects ? b->nr_objects + 1 : (b->src.handle != b->dst.handle ? 3 : 2);
	if (count > ARRAY_SIZE(stack_obj)) {
		obj = calloc(count, sizeof(*obj));
		if (!obj) {
			ret = -ENOMEM;
			goto out;
		}
	}
	memset(obj, 0, count * sizeof(*obj));
	if (b->objects) {
		for (unsigned int i = 0; i < b->nr_objects; i++)
			obj[i].handle = b->objects[i];
	} else {
		obj[0].handle = b->dst.handle;
		if (count == 3)
			obj[1].handle = b->src.handle;
	}
	for (unsigned int i = 0; i < count; i++)
		obj[i].flags = EXEC_OBJECT_SUPPORTS_48B_ADDRESS;
	obj[count - 1].handle = handle;
	obj[count - 1].relocation_count = 2;
	obj[count - 1].relocs_ptr = (uintptr_t)relocs;

	memset(&eb, 0, sizeof(eb));
	eb.buffers_ptr = (uintptr_t)obj;
	eb.buffer_count = count;
	eb.flags = b->exec_flags ? b->exec_flags : I915_EXEC_BLT;
	ret = b->out_fence ? __gem_execbuf_fenced(fd, &eb, b->out_fence) : __gem_execbuf(fd, &eb);
	if (obj != stack_obj)
		free(obj);
out:
	__gem_close(fd, handle);
	return ret;
}

int vi_exec_copy(int fd, uint32_t dst, uint32_t src, uint32_t batch,
		 struct drm_i915_gem_relocation_entry *relocs, unsigned int nrelocs)
{
	struct drm_i915_gem_exec_object2 obj[3];
	struct drm_i915_gem_execbuffer2 eb;
	unsigned int n = 0;

	memset(obj, 0, sizeof(obj));
	obj[n].handle = dst;
	obj[n++].flags = EXEC_OBJECT_WRITE;
	if (src && src != dst)
		obj[n++].handle = src;
	obj[n].handle = batch;
	obj[n].relocation_count = nrelocs;
	obj[n++].relocs_ptr = (uintptr_t)relocs;
	memset(&eb, 0, sizeof(eb));
	eb.buffers_ptr = (uintptr_t)obj;
	eb.buffer_count = n;
	eb.flags = I915_EXEC_BLT;
	return __gem_execbuf(fd, &eb);
}

/* ---- spinner ---------------------------------------------------------- */

#define SPIN_LOOP	16
#define SPIN_COND	1022

int vi_budget_ms(void)
{
	FILE *f = fopen("/sys/module/vi915/parameters/request_budget_ms", "r");
	int v = 2000;

	if (f) {
		if (fscanf(f, "%d", &v) != 1)
			v = 2000;
		fclose(f);
	}
	return v;
}

int vi_spin_new(int fd, uint32_t dep, struct vi_spin *spin)
{
	struct drm_i915_gem_relocation_entry rel[2];
	struct drm_i915_gem_exec_object2 obj[2];
	struct drm_i915_gem_execbuffer2 eb;
	uint32_t h, *cs, n = SPIN_LOOP;
	int ret = __gem_create(fd, 4096, &h);

	if (ret)
		return ret;
	cs = __gem_mmap_gtt(fd, h, 4096, PROT_READ | PROT_WRITE);
	if (!cs) {
		ret = -errno;
		__gem_close(fd, h);
		return ret;
	}
	memset(rel, 0, sizeof(rel));
	cs[n++] = 0x05 << 23;				/* MI_ARB_CHECK */
	n += 960;					/* MI_NOOPs (zeroed object) */
	cs[n++] = (0x36 << 23) | (1 << 21) | 2;		/* MI_COND_BATCH_BUFFER_END */
	cs[n++] = MI_BATCH_BUFFER_END;			/* compare data */
	rel[0] = (struct drm_i915_gem_relocation_entry) {
		.target_handle = h, .delta = 4 * SPIN_COND, .offset = 4 * n,
		.read_domains = I915_GEM_DOMAIN_COMMAND };
	cs[n++] = 0;
	cs[n++] = 0;
	cs[n++] = (0x31 << 23) | (1 << 8) | 1;		/* MI_BATCH_BUFFER_START */
	rel[1] = (struct drm_i915_gem_relocation_entry) {
		.target_handle = h, .delta = 4 * SPIN_LOOP, .offset = 4 * n,
		.read_domains = I915_GEM_DOMAIN_COMMAND };
	cs[n++] = 0;
	cs[n++] = 0;
	cs[SPIN_COND] = 0xffffffff;
	cs[SPIN_COND + 1] = 0xffffffff;
	memset(obj, 0, sizeof(obj));
	n = 0;
	if (dep) {
		obj[n].handle = dep;
		obj[n++].flags = EXEC_OBJECT_WRITE;
	}
	obj[n].handle = h;
	obj[n].relocs_ptr = (uintptr_t)rel;
	obj[n].relocation_count = 2;
	obj[n++].offset = 0x12345000;			/* a hint that is wrong */
	memset(&eb, 0, sizeof(eb));
	eb.buffers_ptr = (uintptr_t)obj;
	eb.buffer_count = n;
	eb.flags = I915_EXEC_BLT | I915_EXEC_NO_RELOC;
	ret = __gem_execbuf_fenced(fd, &eb, &spin->fence);
	if (ret) {
		munmap(cs, 4096);
		__gem_close(fd, h);
		return ret;
	}
	spin->handle = h;
	spin->map = cs;
	return 0;
}

int vi_spin_wait(int fd, const struct vi_spin *spin)
{
	int ret = __gem_wait(fd, spin->handle, NULL);

	if (ret)
		return ret;
	ret = vi_fence_status(spin->fence, 0);
	return ret == 1 ? 0 : ret == 0 ? -EBUSY : ret;
}

void vi_spin_end(const struct vi_spin *spin)
{
	__atomic_store_n(&spin->map[SPIN_COND], MI_BATCH_BUFFER_END, __ATOMIC_SEQ_CST);
}

void vi_spin_free(int fd, struct vi_spin *spin)
{
	munmap(spin->map, 4096);
	__gem_close(fd, spin->handle);
	close(spin->fence);
}

/* ---- driver counters -------------------------------------------------- */

const char *const vi_counter_names[VI_NR_COUNTERS] = {
	[VI_OBJECTS] = "objects",
	[VI_USERPTR_OBJECTS] = "userptr_objects",
	[VI_PAGES_HELD] = "pages_held",
	[VI_WORKERS_IN_FLIGHT] = "workers_in_flight",
	[VI_GGTT_BOUND] = "ggtt_bound",
	[VI_REQUESTS_IN_FLIGHT] = "requests_in_flight",
	[VI_ENGINE_MAPPED_PAGES] = "engine_mapped_pages",
};

#define DEBUGFS_DRI "/sys/kernel/debug/dri"

int vi_find_debugfs_dir(char *dir, size_t len)
{
	struct dirent **names;
	int n, ret = -ENOENT;

	n = scandir(DEBUGFS_DRI, &names, NULL, alphasort);
	if (n < 0)
		return -errno;
	for (int i = 0; i < n; i++) {
		char path[512];
		struct stat st;

		if (ret && names[i]->d_name[0] != '.') {
			snprintf(path, sizeof(path), DEBUGFS_DRI "/%s/i915_error_state",
				 names[i]->d_name);
			if (stat(path, &st) == 0) {
				snprintf(dir, len, DEBUGFS_DRI "/%s", names[i]->d_name);
				ret = 0;
			}
		}
		free(names[i]);
	}
	free(names);
	return ret;
}

int vi_read_error_state(char *buf, size_t len)
{
	char dir[256], path[300];
	ssize_t n;
	int f, ret;

	ret = vi_find_debugfs_dir(dir, sizeof(dir));
	if (ret)
		return ret;
	snprintf(path, sizeof(path), "%s/i915_error_state", dir);
	f = open(path, O_RDONLY);
	if (f < 0)
		return -errno;
	n = read(f, buf, len - 1);
	ret = n < 0 ? -errno : 0;
	buf[n < 0 ? 0 : n] = 0;
	close(f);
	return ret;
}

/* Clear the engine's error capture (any write to i915_error_state): 0 / -errno. */
int vi_clear_error_state(void)
{
	char dir[256], path[300];
	int f, ret = vi_find_debugfs_dir(dir, sizeof(dir));

	if (ret)
		return ret;
	snprintf(path, sizeof(path), "%s/i915_error_state", dir);
	f = open(path, O_WRONLY | O_CLOEXEC);
	if (f < 0)
		return -errno;
	ret = write(f, "1", 1) == 1 ? 0 : -errno;
	close(f);
	return ret;
}

int vi_read_counters(struct vi_counters *c, char *path_out, size_t path_len)
{
	char dir[400], path[512], line[256];
	FILE *f;
	int ret;

	memset(c, 0, sizeof(*c));
	if (path_out && path_len)
		snprintf(path_out, path_len, DEBUGFS_DRI "/<N>/vi915_counters");
	ret = vi_find_debugfs_dir(dir, sizeof(dir));
	if (ret)
		return ret;
	snprintf(path, sizeof(path), "%s/vi915_counters", dir);
	if (path_out && path_len)
		snprintf(path_out, path_len, "%s", path);
	f = fopen(path, "re");
	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f)) {
		char key[64];
		long long val;

		if (sscanf(line, "%63s %lld", key, &val) != 2)
			continue;
		for (int i = 0; i < VI_NR_COUNTERS; i++) {
			if (strcmp(key, vi_counter_names[i]) == 0) {
				c->v[i] = val;
				c->present[i] = true;
			}
		}
	}
	fclose(f);
	return 0;
}

/* ---- /proc ------------------------------------------------------------ */

long long vi_vmstat(const char *key)
{
	char line[256];
	size_t klen = strlen(key);
	long long val = -1;
	FILE *f = fopen("/proc/vmstat", "re");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (strncmp(line, key, klen) == 0 && line[klen] == ' ') {
			val = strtoll(line + klen + 1, NULL, 10);
			break;
		}
	}
	fclose(f);
	return val;
}

int vi_debug_locks(void)
{
	char line[256];
	int val = -1;
	FILE *f = fopen("/proc/lockdep_stats", "re");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		char *p = strstr(line, "debug_locks:");

		if (p) {
			val = atoi(p + strlen("debug_locks:"));
			break;
		}
	}
	fclose(f);
	return val;
}

/* ---- /dev/kmsg -------------------------------------------------------- */

int kmsg_open_at_end(void)
{
	int fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	if (lseek(fd, 0, SEEK_END) < 0) {
		int err = -errno;

		close(fd);
		return err;
	}
	return fd;
}

void kmsg_printf(const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	int fd, n;

	n = snprintf(buf, sizeof(buf), "<6>");
	va_start(ap, fmt);
	n += vsnprintf(buf + n, sizeof(buf) - n, fmt, ap);
	va_end(ap);
	if (n >= (int)sizeof(buf))
		n = sizeof(buf) - 1;
	fd = open("/dev/kmsg", O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	if (write(fd, buf, n) < 0) {
		/* best effort */
	}
	close(fd);
}

int kmsg_read(int fd, struct kmsg_record *rec)
{
	char buf[8192];
	ssize_t n;
	char *semi, *nl, *p;

	for (;;) {
		n = read(fd, buf, sizeof(buf) - 1);
		if (n < 0) {
			if (errno == EAGAIN)
				return 0;
			if (errno == EPIPE || errno == EINTR)
				continue;	/* overwritten records: keep going */
			return -errno;
		}
		if (n == 0)
			return 0;
		break;
	}
	buf[n] = '\0';
	/* "prio,seq,usec,flags[,...];message\n[ KEY=value\n]..." */
	rec->level = (int)(strtol(buf, &p, 10) & 7);
	rec->usec = 0;
	if (*p == ',') {
		strtoull(p + 1, &p, 10);		/* seq */
		if (*p == ',')
			rec->usec = strtoull(p + 1, NULL, 10);
	}
	semi = strchr(buf, ';');
	p = semi ? semi + 1 : buf;
	nl = strchr(p, '\n');
	if (nl)
		*nl = '\0';
	{
		size_t len = strlen(p);

		if (len >= sizeof(rec->text))
			len = sizeof(rec->text) - 1;
		memcpy(rec->text, p, len);
		rec->text[len] = '\0';
	}
	return 1;
}
