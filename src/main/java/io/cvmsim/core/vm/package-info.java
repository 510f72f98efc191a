/**
 * One simulated guest: {@link io.cvmsim.core.vm.GuestVm} wires the layers together behind one lock,
 * and {@link io.cvmsim.core.vm.VmRegistry} holds the live guests within configured limits.
 */
package io.cvmsim.core.vm;
