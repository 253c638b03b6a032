package io.hostdev.model.host;

/**
 * One cache of level 2 or more, from {@code sys/devices/system/cpu/cpuN/cache/indexM}.
 *
 * @param id    the cache id ({@code id} attribute)
 * @param type  {@code both} (unified), {@code code} (instruction) or {@code data}, as libvirt names them
 * @param size  size in bytes
 * @param cpus  the CPUs sharing it, in cpuset form ({@code shared_cpu_list})
 */
public record CacheBank(int id, int level, String type, long size, String cpus) {
}
