[package]
name = "etcd"
edition = "v0.9.0"
version = "3.5.9"
